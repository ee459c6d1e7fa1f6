#include "settings_dialog.h"

#include "server_form.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace hoist {

namespace {

constexpr qint64 kKiB = 1024;

QString tokenPlaceText(const TokenStore::Outcome& token) {
    switch (token.place) {
    case TokenStore::Place::Keychain:
        return SettingsDialog::tr("The token is kept in the system keychain.");
    case TokenStore::Place::SettingsFile:
        return SettingsDialog::tr("No keychain service is available (%1). The token is kept "
                                  "in the settings file, as you allowed.")
            .arg(token.keychainError);
    case TokenStore::Place::SessionOnly:
        break;
    }
    return SettingsDialog::tr("No keychain service is available (%1), so the token is only "
                              "kept until the app quits. You may allow keeping it in the "
                              "settings file instead: anyone who can read your files can "
                              "then read the token.")
        .arg(token.keychainError);
}

} // namespace

SettingsDialog::SettingsDialog(const Settings& settings, const UiPreferences& preferences,
                               const TokenStore::Outcome& token, bool trayAvailable,
                               QWidget* parent)
    : QDialog(parent), m_settings(settings), m_preferences(preferences),
      m_server(new ServerForm(this)), m_concurrency(new QSpinBox(this)),
      m_parallelChunks(new QSpinBox(this)), m_bandwidth(new QSpinBox(this)),
      m_notifications(new QCheckBox(tr("Notify when a file is uploaded, fails, or was "
                                       "already on the server"),
                                    this)),
      m_keepInTray(
          new QCheckBox(tr("Keep running in the system tray when the window closes"), this)),
      m_tokenPlace(new QLabel(tokenPlaceText(token), this)),
      m_tokenInSettingsFile(new QCheckBox(
          tr("Keep the token in the settings file when no keychain is available"), this)) {
    setWindowTitle(tr("Hoist Settings"));
    m_server->setServerUrl(settings.serverUrl);
    m_server->setProtocol(settings.serverProtocol);
    m_server->setToken(settings.token);
    m_server->setCaFile(settings.caFile);

    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_bandwidth->setObjectName(QStringLiteral("bandwidthLimit"));
    m_notifications->setObjectName(QStringLiteral("notifications"));
    m_keepInTray->setObjectName(QStringLiteral("keepRunningInTray"));
    m_tokenInSettingsFile->setObjectName(QStringLiteral("tokenInSettingsFile"));
    m_concurrency->setRange(1, 16);
    m_concurrency->setValue(settings.maxConcurrent);
    m_concurrency->setSuffix(tr(" files at once"));
    m_parallelChunks->setObjectName(QStringLiteral("parallelChunks"));
    m_parallelChunks->setRange(1, Settings::kMaxParallelChunks);
    m_parallelChunks->setValue(settings.parallelChunks);
    m_parallelChunks->setSuffix(tr(" pieces of a file at once"));
    m_parallelChunks->setToolTip(tr("Sends several pieces of a file at once when the server "
                                    "allows it: faster on distant servers. 1 sends one piece "
                                    "at a time."));
    m_bandwidth->setRange(0, 10'000'000);
    m_bandwidth->setSingleStep(256);
    m_bandwidth->setSuffix(tr(" KiB/s"));
    m_bandwidth->setSpecialValueText(tr("Unlimited"));
    m_bandwidth->setValue(static_cast<int>(settings.bandwidthLimit / kKiB));
    m_notifications->setChecked(preferences.notifications);
    m_keepInTray->setChecked(preferences.keepRunningInTray && trayAvailable);
    m_keepInTray->setEnabled(trayAvailable);
    if (!trayAvailable)
        m_keepInTray->setToolTip(tr("This desktop has no system tray."));
    m_tokenPlace->setWordWrap(true);
    m_tokenInSettingsFile->setChecked(preferences.tokenInSettingsFile);

    auto* serverBox = new QGroupBox(tr("Server"), this);
    (new QVBoxLayout(serverBox))->addWidget(m_server);
    auto* queueBox = new QGroupBox(tr("Uploads"), this);
    auto* queueForm = new QFormLayout(queueBox);
    queueForm->addRow(tr("&Concurrency:"), m_concurrency);
    queueForm->addRow(tr("&Parallel chunks:"), m_parallelChunks);
    queueForm->addRow(tr("&Bandwidth limit:"), m_bandwidth);
    auto* appBox = new QGroupBox(tr("Desktop"), this);
    auto* appLayout = new QVBoxLayout(appBox);
    appLayout->addWidget(m_notifications);
    appLayout->addWidget(m_keepInTray);
    auto* tokenBox = new QGroupBox(tr("Token storage"), this);
    auto* tokenLayout = new QVBoxLayout(tokenBox);
    tokenLayout->addWidget(m_tokenPlace);
    tokenLayout->addWidget(m_tokenInSettingsFile);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(serverBox);
    layout->addWidget(queueBox);
    layout->addWidget(appBox);
    layout->addWidget(tokenBox);
    layout->addWidget(buttons);
}

Settings SettingsDialog::settings() const {
    Settings settings = m_settings;
    settings.serverUrl = m_server->serverUrl();
    settings.serverProtocol = m_server->protocol();
    settings.token = m_server->token();
    settings.caFile = m_server->caFile();
    settings.maxConcurrent = m_concurrency->value();
    settings.parallelChunks = m_parallelChunks->value();
    settings.bandwidthLimit = m_bandwidth->value() * kKiB;
    return settings;
}

UiPreferences SettingsDialog::preferences() const {
    UiPreferences preferences = m_preferences;
    preferences.notifications = m_notifications->isChecked();
    if (m_keepInTray->isEnabled())
        preferences.keepRunningInTray = m_keepInTray->isChecked();
    preferences.tokenInSettingsFile = m_tokenInSettingsFile->isChecked();
    return preferences;
}

} // namespace hoist
