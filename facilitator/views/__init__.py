"""One blueprint per screen: auth, controls, projector, phone, proxy; access.py says who may."""
