#include "token_store.h"

#include <QSettings>

#include <QCoroSignal>
#include <qt6keychain/keychain.h>

#include <memory>

namespace hoist {

namespace {

const QString kKey = QStringLiteral("token");
const QString kSettingsKey = QStringLiteral("security/token");

// Runs one keychain job to its end. An empty error means it succeeded.
template <typename Job> QCoro::Task<QString> finish(Job& job) {
    job.setAutoDelete(false);
    job.setKey(kKey);
    job.start();
    co_await qCoro(&job, &QKeychain::Job::finished);
    co_return job.error() == QKeychain::NoError ? QString() : job.errorString();
}

} // namespace

TokenStore::TokenStore(QSettings& settings, QString service)
    : m_settings(settings), m_service(std::move(service)) {}

QCoro::Task<TokenStore::Outcome> TokenStore::read(bool settingsFileAllowed) {
    QKeychain::ReadPasswordJob job(m_service);
    const QString error = co_await finish(job);
    Outcome outcome;
    if (error.isEmpty()) {
        outcome.token = job.textData();
        outcome.place = Place::Keychain;
        co_return outcome;
    }
    // A missing entry is not a broken keychain: the token may simply be elsewhere.
    if (job.error() != QKeychain::EntryNotFound)
        outcome.keychainError = error;
    if (settingsFileAllowed && m_settings.contains(kSettingsKey)) {
        outcome.token = m_settings.value(kSettingsKey).toString();
        outcome.place = Place::SettingsFile;
    } else if (outcome.keychainError.isEmpty()) {
        outcome.place = Place::Keychain; // working, but holds nothing yet
    }
    co_return outcome;
}

QCoro::Task<TokenStore::Outcome> TokenStore::write(QString token, bool settingsFileAllowed) {
    QString error;
    if (token.isEmpty()) {
        QKeychain::DeletePasswordJob job(m_service);
        error = co_await finish(job);
        if (job.error() == QKeychain::EntryNotFound)
            error.clear();
    } else {
        QKeychain::WritePasswordJob job(m_service);
        job.setTextData(token);
        error = co_await finish(job);
    }
    Outcome outcome;
    outcome.token = token;
    outcome.keychainError = error;
    if (error.isEmpty()) {
        outcome.place = Place::Keychain;
        m_settings.remove(kSettingsKey); // no plain copy outlives a working keychain
    } else if (settingsFileAllowed) {
        outcome.place = Place::SettingsFile;
        m_settings.setValue(kSettingsKey, token);
    } else {
        outcome.place = Place::SessionOnly;
        m_settings.remove(kSettingsKey);
    }
    m_settings.sync();
    co_return outcome;
}

} // namespace hoist
