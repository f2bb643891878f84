"""Everything that writes into the user's repository goes through here."""
