FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir .
# the erasure ledger's directory (a volume in docker-compose.yml), writable by the service
RUN mkdir -p /var/lib/trellis && chown nobody /var/lib/trellis
USER nobody
EXPOSE 8000 9101
CMD ["trellis", "serve", "--host", "0.0.0.0", "--port", "8000"]
