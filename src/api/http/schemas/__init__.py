"""Request and response models, named for their use. Responses are allow-lists."""
