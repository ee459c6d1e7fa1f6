#pragma once

class QSettings;

namespace hoist {

// What the desktop app itself remembers, beside the engine's Settings.
struct UiPreferences {
    bool notifications = true;
    // Closing the window leaves the app in the system tray (where there is one).
    bool keepRunningInTray = true;
    // The person agreed to keep the token in the plain settings file because no
    // keychain service is running. Never assumed: it is readable by anyone who
    // can read the user's files.
    bool tokenInSettingsFile = false;

    static UiPreferences load(const QSettings& store);
    void save(QSettings& store) const;

    bool operator==(const UiPreferences&) const = default;
};

} // namespace hoist
