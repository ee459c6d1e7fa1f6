// With no configuration at all, the first-run dialog appears, prefilled with the
// local hoistd, and offers that server's development token.

#include "configuration.h"
#include "first_run_dialog.h"
#include "server_form.h"
#include "token_store.h"
#include "ui_test_support.h"

#include <QApplication>
#include <QFile>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using hoist::FirstRunDialog;

class TestFirstRun final : public QObject {
    Q_OBJECT

  private:
    // Runs `check` on the first-run dialog once it is up, then closes it.
    static void whenDialogShows(std::function<void(FirstRunDialog&)> check, bool accept) {
        auto* poll = new QTimer;
        poll->setInterval(20);
        QObject::connect(poll, &QTimer::timeout, [poll, check, accept] {
            auto* dialog = qobject_cast<FirstRunDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            poll->stop();
            poll->deleteLater();
            check(*dialog);
            accept ? dialog->accept() : dialog->reject();
        });
        poll->start();
    }

    static QString devTokenFile() {
        return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
               "/hoistd/dev-token";
    }

  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("hoist");
        QCoreApplication::setApplicationName("hoist");
        // The isolated XDG_DATA_HOME is where hoistd would keep its token.
        QCOMPARE(FirstRunDialog::defaultDevTokenFile(), devTokenFile());
    }

    void appearsWithoutConfigurationAndSavesTheAnswer() {
        QSettings store; // the app's own settings, in the isolated XDG_CONFIG_HOME
        hoist::TokenStore tokens(store, "hoist-test-first-run");
        hoist::Configuration configuration(store, tokens, [](const QString&) { return true; });
        QVERIFY(!configuration.hasServer());

        QDir().mkpath(QFileInfo(devTokenFile()).absolutePath());
        QFile token(devTokenFile());
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("dev-1234\n");
        token.close();

        bool shown = false;
        whenDialogShows(
            [&shown](FirstRunDialog& dialog) {
                shown = true;
                QCOMPARE(dialog.serverUrl(), QUrl("http://127.0.0.1:8080"));
                QVERIFY(dialog.token().isEmpty());
                // The token file is read off the GUI thread; the offer follows.
                QTRY_VERIFY(dialog.useDevTokenButton().isVisible());
                dialog.useDevTokenButton().click();
                QCOMPARE(dialog.token(), QString("dev-1234"));
            },
            true);
        QVERIFY(FirstRunDialog::runIfNeeded(configuration, devTokenFile()));
        QVERIFY(shown);
        QVERIFY(configuration.hasServer());
        QCOMPARE(configuration.settings().serverUrl, QUrl("http://127.0.0.1:8080"));
        QCOMPARE(configuration.settings().token, QString("dev-1234"));
        QCoro::waitFor(tokens.write({}, false));

        // Configured now: no dialog the second time.
        hoist::Configuration again(store, tokens, {});
        QVERIFY(again.hasServer());
        QVERIFY(FirstRunDialog::runIfNeeded(again, devTokenFile()));
    }

    void closingTheDialogDeclines() {
        QSettings store(QDir::home().filePath("declined.ini"), QSettings::IniFormat);
        hoist::TokenStore tokens(store, "hoist-test-first-run");
        hoist::Configuration configuration(store, tokens, {});
        whenDialogShows([](FirstRunDialog&) {}, false);
        QVERIFY(!FirstRunDialog::runIfNeeded(configuration, "/nonexistent/dev-token"));
        QVERIFY(!configuration.hasServer());
    }

    void noTokenFileNoOffer() {
        FirstRunDialog dialog("/nonexistent/dev-token");
        dialog.show();
        QTest::qWait(200);
        QVERIFY(!dialog.useDevTokenButton().isVisible());
    }
};

HOIST_UI_TEST_MAIN(TestFirstRun)

#include "tst_first_run.moc"
