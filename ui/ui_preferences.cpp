#include "ui_preferences.h"

#include <QSettings>

namespace hoist {

UiPreferences UiPreferences::load(const QSettings& store) {
    UiPreferences preferences;
    preferences.notifications = store.value("ui/notifications", preferences.notifications).toBool();
    preferences.keepRunningInTray =
        store.value("ui/keepRunningInTray", preferences.keepRunningInTray).toBool();
    preferences.tokenInSettingsFile =
        store.value("security/tokenInSettingsFile", preferences.tokenInSettingsFile).toBool();
    return preferences;
}

void UiPreferences::save(QSettings& store) const {
    store.setValue("ui/notifications", notifications);
    store.setValue("ui/keepRunningInTray", keepRunningInTray);
    store.setValue("security/tokenInSettingsFile", tokenInSettingsFile);
}

} // namespace hoist
