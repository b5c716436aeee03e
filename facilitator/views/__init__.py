"""One blueprint per screen: auth, controls, projector, phone (plan follows with handleplaner)."""
