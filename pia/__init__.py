"""pia: privacy and civil-liberties impact assessment for biometric surveillance technology."""

__version__ = "0.1.0"
