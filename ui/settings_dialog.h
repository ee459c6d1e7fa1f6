#pragma once

#include "settings.h"
#include "token_store.h"
#include "ui_preferences.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QSpinBox;

namespace hoist {

class ServerForm;

// Edits copies of the engine's Settings and the app's UiPreferences; the caller
// reads them back after accept() and hands them to Configuration::update().
class SettingsDialog final : public QDialog {
    Q_OBJECT
  public:
    // `token` says where the token is kept now, shown next to the opt-in.
    SettingsDialog(const Settings& settings, const UiPreferences& preferences,
                   const TokenStore::Outcome& token, bool trayAvailable, QWidget* parent = nullptr);

    Settings settings() const;
    UiPreferences preferences() const;
    ServerForm& serverForm() { return *m_server; }

  private:
    Settings m_settings;
    UiPreferences m_preferences;
    ServerForm* m_server;
    QSpinBox* m_concurrency;
    QSpinBox* m_parallelChunks;
    QSpinBox* m_bandwidth;
    QCheckBox* m_notifications;
    QCheckBox* m_keepInTray;
    QLabel* m_tokenPlace;
    QCheckBox* m_tokenInSettingsFile;
};

} // namespace hoist
