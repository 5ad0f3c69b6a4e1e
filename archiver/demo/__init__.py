"""The bundled demo site: a small French entertainment-news site written for this project."""
