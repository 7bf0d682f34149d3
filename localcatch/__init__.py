"""The local side of the project: what emulates HrFlow Catch on this machine (`catch.py`), the fake HrFlow and
Mandrill servers, and the sample events and signers the tests and the emulator share. Never pasted."""
