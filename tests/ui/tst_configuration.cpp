// Settings round-trip: the dialog, QSettings and the token store, and what the
// engine gets from them.

#include "configuration.h"
#include "engine_host.h"
#include "queue_model.h"
#include "server_form.h"
#include "settings_dialog.h"
#include "token_store.h"
#include "ui_test_support.h"
#include "upload_engine.h"
#include "upload_queue.h"

#include <QApplication>
#include <QCheckBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using hoist::Configuration;
using hoist::Settings;
using hoist::TokenStore;
using hoist::UiPreferences;

class TestConfiguration final : public QObject {
    Q_OBJECT

  private:
    // A keychain entry of this test run only (a developer's desktop has a real keychain).
    QString service() const {
        return QStringLiteral("hoist-test-%1").arg(QCoreApplication::applicationPid());
    }
    QString settingsFile() const {
        return m_dir.filePath(QStringLiteral("%1.ini").arg(QTest::currentTestFunction()));
    }

    static Settings sample() {
        Settings settings;
        settings.serverUrl = QUrl("https://files.example.org:8443/base");
        settings.token = "s3cr3t-token";
        settings.caFile = "/etc/ssl/example-ca.pem";
        settings.maxConcurrent = 5;
        settings.parallelChunks = 3;
        settings.bandwidthLimit = 2048 * 1024;
        return settings;
    }

    QTemporaryDir m_dir;

  private slots:
    void cleanup() {
        QSettings store(settingsFile(), QSettings::IniFormat);
        TokenStore tokens(store, service());
        QCoro::waitFor(tokens.write({}, false));
    }

    void roundTripsThroughSettingsAndTokenStore() {
        UiPreferences preferences;
        preferences.notifications = false;
        preferences.keepRunningInTray = false;
        int asked = 0;
        {
            QSettings store(settingsFile(), QSettings::IniFormat);
            TokenStore tokens(store, service());
            Configuration configuration(store, tokens, [&asked](const QString& error) {
                ++asked;
                return !error.isEmpty();
            });
            QVERIFY(!configuration.hasServer());
            QSignalSpy changed(&configuration, &Configuration::changed);
            const auto outcome = QCoro::waitFor(configuration.update(sample(), preferences));
            QCOMPARE(changed.count(), 1);
            // No keychain (headless CI): asked once, then kept in the file as agreed.
            if (outcome.place != TokenStore::Place::Keychain) {
                QCOMPARE(asked, 1);
                QCOMPARE(outcome.place, TokenStore::Place::SettingsFile);
                QVERIFY(configuration.preferences().tokenInSettingsFile);
            }
        }
        QSettings store(settingsFile(), QSettings::IniFormat);
        TokenStore tokens(store, service());
        Configuration configuration(store, tokens, {});
        QVERIFY(configuration.hasServer());
        QCOMPARE(configuration.settings().serverUrl, sample().serverUrl);
        QCOMPARE(configuration.settings().caFile, sample().caFile);
        QCOMPARE(configuration.settings().maxConcurrent, 5);
        QCOMPARE(configuration.settings().parallelChunks, 3);
        QCOMPARE(configuration.settings().bandwidthLimit, 2048 * 1024);
        QVERIFY(!configuration.preferences().notifications);
        QVERIFY(!configuration.preferences().keepRunningInTray);
        QVERIFY(configuration.settings().token.isEmpty()); // not read yet
        QCoro::waitFor(configuration.loadToken());
        QCOMPARE(configuration.settings().token, sample().token);
    }

    void declinedFallbackKeepsTheTokenOutOfTheFile() {
        QSettings store(settingsFile(), QSettings::IniFormat);
        TokenStore tokens(store, service());
        Configuration configuration(store, tokens, [](const QString&) { return false; });
        const auto outcome = QCoro::waitFor(configuration.update(sample(), {}));
        if (outcome.place == TokenStore::Place::Keychain)
            QSKIP("a keychain service runs here: there is nothing to fall back from");
        QCOMPARE(outcome.place, TokenStore::Place::SessionOnly);
        QVERIFY(!outcome.keychainError.isEmpty());
        QCOMPARE(configuration.settings().token, sample().token); // for this session
        store.sync();
        QFile file(settingsFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("s3cr3t-token"));

        Configuration restarted(store, tokens, {});
        const auto reloaded = QCoro::waitFor(restarted.loadToken());
        QVERIFY(reloaded.token.isEmpty());
        QVERIFY(!reloaded.keychainError.isEmpty());
        // What the settings dialog shows later still says why.
        QCOMPARE(restarted.tokenOutcome().keychainError, reloaded.keychainError);
    }

    void dialogShowsAndReturnsTheValues() {
        UiPreferences preferences;
        preferences.notifications = false;
        preferences.tokenInSettingsFile = true;
        TokenStore::Outcome token;
        token.place = TokenStore::Place::SessionOnly;
        token.keychainError = "no D-Bus";
        hoist::SettingsDialog dialog(sample(), preferences, token, true);
        QCOMPARE(dialog.settings().serverUrl, sample().serverUrl);
        QCOMPARE(dialog.settings().token, sample().token);
        QCOMPARE(dialog.settings().caFile, sample().caFile);
        QCOMPARE(dialog.settings().maxConcurrent, sample().maxConcurrent);
        QCOMPARE(dialog.settings().parallelChunks, sample().parallelChunks);
        QCOMPARE(dialog.settings().bandwidthLimit, sample().bandwidthLimit);
        QVERIFY(dialog.preferences() == preferences);

        dialog.serverForm().setServerUrl(QUrl("http://127.0.0.1:8080"));
        dialog.findChild<QSpinBox*>("concurrency")->setValue(3);
        dialog.findChild<QSpinBox*>("parallelChunks")->setValue(1);
        dialog.findChild<QSpinBox*>("bandwidthLimit")->setValue(0);
        dialog.findChild<QCheckBox*>("notifications")->setChecked(true);
        dialog.findChild<QCheckBox*>("tokenInSettingsFile")->setChecked(false);
        QCOMPARE(dialog.settings().serverUrl, QUrl("http://127.0.0.1:8080"));
        QCOMPARE(dialog.settings().maxConcurrent, 3);
        QCOMPARE(dialog.settings().parallelChunks, 1);
        QCOMPARE(dialog.settings().bandwidthLimit, 0);
        QVERIFY(dialog.preferences().notifications);
        QVERIFY(!dialog.preferences().tokenInSettingsFile);
        // The retry schedule is not on the dialog, and survives it unchanged.
        QVERIFY(dialog.settings().retry == sample().retry);
    }

    void withoutATrayClosingQuits() {
        UiPreferences preferences;
        preferences.keepRunningInTray = true;
        hoist::SettingsDialog dialog(sample(), preferences, {}, false);
        QVERIFY(!dialog.findChild<QCheckBox*>("keepRunningInTray")->isEnabled());
        // Nothing changes behind the person's back while the tray is missing.
        QVERIFY(dialog.preferences().keepRunningInTray);
    }

    void engineHostAppliesSettings() {
        const QString queue = m_dir.filePath("host-queue");
        ui_test::writeFile(m_dir.filePath("queued.bin"), 10);
        Settings settings;
        settings.serverUrl = QUrl("http://127.0.0.1:9");
        hoist::EngineHost host(
            [queue](const Settings& chosen) {
                return std::make_unique<hoist::UploadEngine>(chosen, queue);
            },
            settings);
        host.queue().addPaths({m_dir.filePath("queued.bin")}, settings.serverUrl);
        host.queue().pause(0);
        QSignalSpy replaced(&host, &hoist::EngineHost::replaced);

        settings.maxConcurrent = 7;
        settings.bandwidthLimit = 1000;
        host.apply(settings);
        QCOMPARE(replaced.count(), 0);
        QCOMPARE(host.engine().scheduler().maxConcurrent(), 7);
        QCOMPARE(host.engine().limiter().limit(), 1000);

        settings.serverUrl = QUrl("http://127.0.0.1:10");
        settings.token = "another";
        host.apply(settings);
        QCOMPARE(replaced.count(), 1);
        // The new engine took the saved queue over, paused job and all.
        QCOMPARE(host.model().rowCount(), 1);
        QCOMPARE(host.model().index(0, 0).data(hoist::QueueModel::StateRole).toInt(),
                 int(hoist::JobState::Paused));
        QCOMPARE(host.engine().scheduler().maxConcurrent(), 7);
    }
};

HOIST_UI_TEST_MAIN(TestConfiguration)

#include "tst_configuration.moc"
