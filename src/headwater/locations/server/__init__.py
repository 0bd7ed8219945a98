"""The user-code side of code locations: loading modules and files, serving their specs."""
