"""The core layer: reads the model, the inventory and upstream git data; imports no other layer."""
