#pragma once

#include "configuration.h"
#include "engine_host.h"
#include "settings.h"
#include "token_store.h"

#include <QApplication>
#include <QByteArray>
#include <QMessageBox>
#include <QSettings>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

// Helpers of the UI tests.
namespace ui_test {

// Points HOME and the XDG folders into `root`, so QSettings, the queue file and
// hoistd's development token never touch the real user's. Call before QApplication.
void isolateUserFolders(const QString& root);

// A file of `size` pseudo-random bytes (seeded by its path) at `path`.
void writeFile(const QString& path, qint64 size);

// Engine settings for tests: short retries and timeouts, the given server and token.
hoist::Settings testSettings(const QUrl& server, const QString& token);

// Everything a MainWindow stands on, kept in `folder`: settings file, token
// store (never asked to write), configuration for `server` and `token`, and an
// engine whose queue lives in folder/queue.
struct AppFixture {
    AppFixture(const QString& folder, const QUrl& server, const QString& token);

    QSettings settings;
    hoist::TokenStore tokens;
    hoist::Configuration configuration;
    std::unique_ptr<hoist::EngineHost> host;
};

// Clicks `button` on the next modal message box within `timeoutMs`; false when
// none came. For code under test that asks a question and waits for the answer.
class MessageBoxAnswerer final : public QObject {
  public:
    explicit MessageBoxAnswerer(QMessageBox::StandardButton button, int timeoutMs = 5000);
    bool answered() const { return m_answered; }
    QString text() const { return m_text; }

  private:
    QMessageBox::StandardButton m_button;
    bool m_answered = false;
    QString m_text;
};

// The HTTP status of GET `path` on `server` with the token (0: transport error).
int httpStatus(const QUrl& server, const QString& path, const QString& token);

} // namespace ui_test

// QTEST_MAIN with HOME and the XDG folders in a temporary folder of the run.
#define HOIST_UI_TEST_MAIN(TestObject)                                                             \
    int main(int argc, char** argv) {                                                              \
        QTemporaryDir home;                                                                        \
        ui_test::isolateUserFolders(home.path());                                                  \
        QApplication app(argc, argv);                                                              \
        TestObject test;                                                                           \
        return QTest::qExec(&test, argc, argv);                                                    \
    }
