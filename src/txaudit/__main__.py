"""``python -m txaudit`` runs the command line."""

from txaudit.cli import main

if __name__ == "__main__":
    main()
