// The window's actions move real jobs through their states against a real
// hoistd (toolbar, menus and the context menu share these QAction objects).

#include "hoistd_process.h"
#include "main_window.h"
#include "queue_actions.h"
#include "queue_model.h"
#include "queue_view.h"
#include "test_http_client.h"
#include "tray_icon.h"
#include "ui_test_support.h"
#include "upload_engine.h"
#include "upload_queue.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using hoist::JobState;
using hoist::MainWindow;
using hoist::QueueModel;

namespace {
constexpr qint64 kKiB = 1024;
constexpr int kTimeout = 20000;
} // namespace

// Receives what QDesktopServices would hand to the file manager.
class UrlCatcher final : public QObject {
    Q_OBJECT
  public:
    QList<QUrl> opened;
  public slots:
    void open(const QUrl& url) { opened << url; }
};

class TestQueueActions final : public QObject {
    Q_OBJECT

  private:
    struct Setup {
        Setup(const QString& folder, const QUrl& server)
            : fixture(folder, server, "tokA"),
              window(*fixture.host, fixture.configuration, fixture.settings) {
            window.show();
        }
        hoist::UploadEngine& engine() { return fixture.host->engine(); }
        hoist::QueueActions& actions() { return window.actions(); }
        JobState state(int row) {
            return static_cast<JobState>(
                fixture.host->model().index(row, 0).data(QueueModel::StateRole).toInt());
        }
        QString value(int row, int role) {
            return fixture.host->model().index(row, 0).data(role).toString();
        }
        // Selects the row that shows source row `row`.
        void select(int row) {
            auto* proxy = qobject_cast<QSortFilterProxyModel*>(window.view().model());
            window.view().clearSelection();
            window.view().selectRow(
                proxy->mapFromSource(fixture.host->model().index(row, 0)).row());
        }
        bool add(const QStringList& paths) {
            QSignalSpy added(&window, &MainWindow::pathsAdded);
            window.addPaths(paths);
            return added.wait(kTimeout);
        }

        ui_test::AppFixture fixture;
        MainWindow window;
    };

    QString file(const QString& name, qint64 size) {
        const QString path = m_dir.filePath("files/" + name);
        ui_test::writeFile(path, size);
        return path;
    }
    QString folder() { return m_dir.filePath(QTest::currentTestFunction()); }

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // A 2 MiB maximum lets a larger file fail at once, and for good.
        m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"),
                                                   QStringList{"--max-size", "2M"});
        QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
    }

    void pauseResumeAndCopyFileId() {
        Setup setup(folder(), m_server->url());
        setup.engine().limiter().setLimit(32 * kKiB); // 1.5 MiB takes ~48 s: time to pause
        QVERIFY(setup.add({file("slow.bin", 1536 * kKiB)}));
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Uploading, kTimeout);

        setup.select(0);
        QVERIFY(setup.actions().pause()->isEnabled());
        QVERIFY(!setup.actions().resume()->isEnabled());
        QVERIFY(!setup.actions().retry()->isEnabled());
        QVERIFY(!setup.actions().copyFileId()->isEnabled());
        setup.actions().pause()->trigger();
        QCOMPARE(setup.state(0), JobState::Paused);
        QTRY_VERIFY(setup.actions().resume()->isEnabled());
        QVERIFY(!setup.actions().pause()->isEnabled());

        setup.engine().limiter().setLimit(0);
        setup.actions().resume()->trigger();
        QVERIFY(setup.state(0) != JobState::Paused);
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Done, kTimeout);

        const QString fileId = setup.value(0, QueueModel::FileIdRole);
        QVERIFY(!fileId.isEmpty());
        QCOMPARE(ui_test::httpStatus(m_server->url(), "/files/" + fileId, "tokA"), 200);
        QTRY_VERIFY(setup.actions().copyFileId()->isEnabled());
        setup.actions().copyFileId()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), fileId);
    }

    void retryFailedJob() {
        Setup setup(folder(), m_server->url());
        QVERIFY(setup.add({file("too-large.bin", 3 * 1024 * kKiB)}));
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Failed, kTimeout);
        QVERIFY(!setup.value(0, QueueModel::ErrorRole).isEmpty());

        setup.select(0);
        QTRY_VERIFY(setup.actions().retry()->isEnabled());
        QVERIFY(!setup.actions().pause()->isEnabled());
        QList<JobState> seen;
        connect(&setup.fixture.host->queue(), &hoist::UploadQueue::jobStateChanged, this,
                [&seen](hoist::UploadJob* job) { seen << job->state(); });
        setup.actions().retry()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty() && seen.last() == JobState::Failed, kTimeout);
        QCOMPARE(seen.first(), JobState::Queued);
    }

    void removeAsksForARunningJobAndDeletesItsSession() {
        Setup setup(folder(), m_server->url());
        setup.engine().limiter().setLimit(32 * kKiB);
        QVERIFY(setup.add({file("removed.bin", 1536 * kKiB)}));
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Uploading, kTimeout);
        const QString session = setup.fixture.host->queue().job(0)->record().sessionId;
        QVERIFY(!session.isEmpty());
        QCOMPARE(ui_test::httpStatus(m_server->url(), "/upload/" + session, "tokA"), 200);

        setup.select(0);
        {
            ui_test::MessageBoxAnswerer no(QMessageBox::Cancel);
            setup.actions().remove()->trigger();
            QVERIFY(no.answered());
        }
        QCOMPARE(setup.fixture.host->model().rowCount(), 1);

        ui_test::MessageBoxAnswerer yes(QMessageBox::Yes);
        setup.actions().remove()->trigger();
        QVERIFY(yes.answered());
        QVERIFY(yes.text().contains("deleted"));
        QCOMPARE(setup.fixture.host->model().rowCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            ui_test::httpStatus(m_server->url(), "/upload/" + session, "tokA"), 404, kTimeout);
    }

    void pauseAllClearFinishedResumeAll() {
        Setup setup(folder(), m_server->url());
        setup.engine().limiter().setLimit(32 * kKiB);
        QVERIFY(setup.add({file("one.txt", 100), file("two.txt", 200)}));
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Done, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(1), JobState::Done, kTimeout);
        const QString longFile = file("long.bin", 1536 * kKiB);
        QVERIFY(setup.add({longFile}));
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(2), JobState::Uploading, kTimeout);

        setup.window.summary().refresh();
        QVERIFY2(setup.window.tray().toolTip().contains("2 of 3"),
                 qPrintable(setup.window.tray().toolTip()));

        setup.actions().pauseAll()->trigger();
        QCOMPARE(setup.state(2), JobState::Paused);
        QCOMPARE(setup.state(0), JobState::Done);

        // Finished jobs leave without a question: nothing of theirs is lost.
        ui_test::MessageBoxAnswerer unexpected(QMessageBox::Cancel, 300);
        setup.actions().clearFinished()->trigger();
        QCOMPARE(setup.fixture.host->model().rowCount(), 1);
        QCOMPARE(setup.value(0, QueueModel::PathRole), longFile);
        QTest::qWait(400);
        QVERIFY(!unexpected.answered());

        setup.engine().limiter().setLimit(0);
        setup.actions().resumeAll()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Done, kTimeout);
    }

    void openContainingFolder() {
        Setup setup(folder(), m_server->url());
        const QString path = file("sub/opened.txt", 10);
        QVERIFY(setup.add({path}));
        UrlCatcher catcher;
        QDesktopServices::setUrlHandler("file", &catcher, "open");
        setup.select(0);
        QTRY_VERIFY(setup.actions().openFolder()->isEnabled());
        setup.actions().openFolder()->trigger();
        QDesktopServices::unsetUrlHandler("file");
        QCOMPARE(catcher.opened,
                 QList<QUrl>({QUrl::fromLocalFile(QFileInfo(path).absolutePath())}));
    }

    // "Copy Share Link" on a done row: the engine asks the server, the window copies the
    // URL it answers (docs/protocol.md, "Share links").
    void copyShareLinkOfADoneRow() {
        Setup setup(folder(), m_server->url());
        setup.engine().limiter().setLimit(32 * kKiB);
        QVERIFY(setup.add({file("shared.bin", 256 * kKiB)}));
        setup.select(0);
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Uploading, kTimeout);
        QVERIFY(!setup.actions().copyShareLink()->isEnabled());
        setup.engine().limiter().setLimit(0);
        QTRY_COMPARE_WITH_TIMEOUT(setup.state(0), JobState::Done, kTimeout);
        QTRY_VERIFY(setup.actions().copyShareLink()->isEnabled());

        QApplication::clipboard()->clear();
        setup.actions().copyShareLink()->trigger();
        const QString prefix = m_server->url().toString() + "/s/";
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::clipboard()->text().startsWith(prefix), kTimeout);
        QVERIFY(setup.window.statusBar()->currentMessage().contains("shared.bin"));
        const TestReply served =
            TestHttpClient(m_server->url(), "").get(QApplication::clipboard()->text());
        QCOMPARE(served.status, 200);
        QCOMPARE(served.body.size(), 256 * kKiB);
    }
};

HOIST_UI_TEST_MAIN(TestQueueActions)

#include "tst_queue_actions.moc"
