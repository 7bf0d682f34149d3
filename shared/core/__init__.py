"""What every layer needs: the errors an execution can stop with, the settings' readers, and the imports
only annotations need."""
