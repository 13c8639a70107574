"""The app's screens: chat, runs, library, paper, the approval gates, help and small dialogs."""
