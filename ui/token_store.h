#pragma once

#include <QString>

#include <QCoroTask>

class QSettings;

namespace hoist {

// Where the server token lives: in the OS keychain (Secret Service, macOS
// Keychain, Windows Credential Manager) through QtKeychain, or, only when no
// keychain service runs and the person opted in, in the plain settings file.
// Otherwise the token is kept for this session only and the caller says why.
class TokenStore final {
  public:
    enum class Place { Keychain, SettingsFile, SessionOnly };
    struct Outcome {
        QString token;
        Place place = Place::SessionOnly;
        // Why the keychain could not be used; empty when it could.
        QString keychainError;
    };

    // `service` names the keychain entry (the app's name; tests use their own).
    TokenStore(QSettings& settings, QString service);

    // The stored token; empty (SessionOnly) when there is none.
    QCoro::Task<Outcome> read(bool settingsFileAllowed);
    // Stores `token` (an empty token deletes it) in the best place allowed.
    QCoro::Task<Outcome> write(QString token, bool settingsFileAllowed);

  private:
    QSettings& m_settings;
    QString m_service;
};

} // namespace hoist
