"""The lab: classic failures served on loopback, for `httpdoctor lab` and the demo."""
