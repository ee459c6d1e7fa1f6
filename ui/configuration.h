#pragma once

#include "settings.h"
#include "token_store.h"
#include "ui_preferences.h"

#include <QObject>

#include <QCoroTask>

#include <functional>

class QSettings;

namespace hoist {

// The app's configuration as one thing: the engine's Settings and the app's own
// UiPreferences in QSettings, the token in a TokenStore. The dialogs edit copies
// and hand them to update(); whoever depends on a value listens to changed().
class Configuration final : public QObject {
    Q_OBJECT
  public:
    // Asked, with the keychain's error, whether the token may go to the plain
    // settings file after all; answers the person's choice.
    using FallbackQuestion = std::function<bool(const QString& keychainError)>;

    Configuration(QSettings& store, TokenStore& tokens, FallbackQuestion askFallback,
                  QObject* parent = nullptr);

    // Includes the token once loadToken() or update() has run.
    const Settings& settings() const { return m_settings; }
    const UiPreferences& preferences() const { return m_preferences; }
    bool hasServer() const;
    // Where the token went last, and why not the keychain if it did not.
    const TokenStore::Outcome& tokenOutcome() const { return m_token; }

    // Reads the token from where it is kept (asynchronous: a keychain may ask).
    QCoro::Task<TokenStore::Outcome> loadToken();
    // Saves everything and stores the token; changed() follows. When the keychain
    // fails and the settings file was not allowed, asks once whether it may be.
    QCoro::Task<TokenStore::Outcome> update(Settings settings, UiPreferences preferences);
    // For this run only (the command line's --server and --token): nothing is saved.
    void overrideServer(const QUrl& server, const QString& token);

  signals:
    void changed();

  private:
    QSettings& m_store;
    TokenStore& m_tokens;
    FallbackQuestion m_askFallback;
    Settings m_settings;
    UiPreferences m_preferences;
    TokenStore::Outcome m_token;
};

} // namespace hoist
