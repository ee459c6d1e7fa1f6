#include "configuration.h"

#include <QSettings>

namespace hoist {

Configuration::Configuration(QSettings& store, TokenStore& tokens, FallbackQuestion askFallback,
                             QObject* parent)
    : QObject(parent), m_store(store), m_tokens(tokens), m_askFallback(std::move(askFallback)),
      m_settings(Settings::load(store)), m_preferences(UiPreferences::load(store)) {}

bool Configuration::hasServer() const {
    return m_settings.serverUrl.isValid() && !m_settings.serverUrl.host().isEmpty();
}

QCoro::Task<TokenStore::Outcome> Configuration::loadToken() {
    m_token = co_await m_tokens.read(m_preferences.tokenInSettingsFile);
    m_settings.token = m_token.token;
    emit changed();
    co_return TokenStore::Outcome(m_token); // a copy: QCoro moves from what it returns
}

QCoro::Task<TokenStore::Outcome> Configuration::update(Settings settings,
                                                       UiPreferences preferences) {
    m_token = co_await m_tokens.write(settings.token, preferences.tokenInSettingsFile);
    if (m_token.place == TokenStore::Place::SessionOnly && !settings.token.isEmpty() &&
        m_askFallback && m_askFallback(m_token.keychainError)) {
        preferences.tokenInSettingsFile = true;
        m_token = co_await m_tokens.write(settings.token, true);
    }
    settings.save(m_store);
    preferences.save(m_store);
    m_store.sync();
    m_settings = std::move(settings);
    m_preferences = preferences;
    emit changed();
    co_return TokenStore::Outcome(m_token); // a copy: QCoro moves from what it returns
}

void Configuration::overrideServer(const QUrl& server, const QString& token) {
    if (!server.isEmpty())
        m_settings.serverUrl = server;
    if (!token.isEmpty())
        m_settings.token = token;
    emit changed();
}

} // namespace hoist
