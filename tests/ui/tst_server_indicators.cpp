// The status bar says, per server that has jobs, whether it answers: two real hoistd
// servers, one spoken to natively and one through its tus face (whose health check is
// an OPTIONS, not /healthz); one of them is killed and comes back.

#include "hoistd_process.h"
#include "main_window.h"
#include "queue_model.h"
#include "server_indicators.h"
#include "server_watch.h"
#include "ui_test_support.h"
#include "upload_engine.h"
#include "upload_queue.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using hoist::JobState;
using hoist::MainWindow;
using hoist::QueueModel;

namespace {
constexpr int kTimeout = 20000;
} // namespace

class TestServerIndicators final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString file(const QString& name) {
        const QString path = m_dir.filePath("files/" + name);
        ui_test::writeFile(path, 4096);
        return path;
    }

    // Every indicator's text, for failure messages.
    static QString shown(const QWidget& indicators) {
        QStringList texts;
        for (const QLabel* label : indicators.findChildren<QLabel*>())
            texts << label->text();
        return texts.join(" | ");
    }

  private slots:
    void eachServerSaysWhetherItAnswers() {
        HoistdProcess native(m_dir.filePath("native"));
        HoistdProcess tus(m_dir.filePath("tus"));
        QVERIFY2(native.start(), native.stderrOutput().constData());
        QVERIFY2(tus.start(), tus.stderrOutput().constData());
        tus.keepPort();
        const QUrl tusUrl = tus.url().resolved(QUrl("/tus/"));

        ui_test::AppFixture fixture(m_dir.filePath("app"), native.url(), "tokA");
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        window.show();
        hoist::ServerWatch& watch = fixture.host->engine().serverWatch();
        watch.setIdleInterval(std::chrono::milliseconds(100));
        watch.setProbeInterval(std::chrono::milliseconds(100));
        hoist::ServerIndicators& indicators = window.serverIndicators();
        QVERIFY(indicators.textFor(native.url()).isEmpty());

        QSignalSpy added(&window, &MainWindow::pathsAdded);
        window.addPaths({file("native.bin")});
        QVERIFY(added.wait(kTimeout));
        QVERIFY(fixture.host->queue()
                    .addPaths({file("tus.bin")}, tusUrl, hoist::Protocol::Tus)
                    .isEmpty());
        const auto state = [&fixture](int row) {
            return static_cast<JobState>(
                fixture.host->model().index(row, 0).data(QueueModel::StateRole).toInt());
        };
        QTRY_COMPARE_WITH_TIMEOUT(state(0), JobState::Done, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(state(1), JobState::Done, kTimeout);
        QVERIFY2(indicators.textFor(native.url()).contains("reachable"),
                 qPrintable(indicators.textFor(native.url())));
        QVERIFY2(indicators.textFor(tusUrl).contains("reachable"),
                 qPrintable(indicators.textFor(tusUrl)));

        // Nothing talks to either server now: the idle health checks notice.
        tus.kill9();
        QVERIFY(tus.waitForExit());
        QTRY_VERIFY2_WITH_TIMEOUT(indicators.textFor(tusUrl).contains("waiting"),
                                  qPrintable(shown(indicators)), kTimeout);
        QVERIFY2(indicators.textFor(tusUrl).contains("refused", Qt::CaseInsensitive),
                 qPrintable(indicators.textFor(tusUrl)));
        QTest::qWait(300); // several idle checks of the native server
        QVERIFY2(indicators.textFor(native.url()).contains("reachable"),
                 qPrintable(indicators.textFor(native.url())));
        QVERIFY(!indicators.textFor(native.url()).contains("waiting"));

        QVERIFY2(tus.start(), tus.stderrOutput().constData());
        QTRY_VERIFY_WITH_TIMEOUT(indicators.textFor(tusUrl).contains("reachable"), kTimeout);

        // A server whose last job left is no longer shown.
        fixture.host->queue().remove(1);
        QTRY_VERIFY(indicators.textFor(tusUrl).isEmpty());
        QVERIFY(!indicators.textFor(native.url()).isEmpty());
    }
};

HOIST_UI_TEST_MAIN(TestServerIndicators)

#include "tst_server_indicators.moc"
