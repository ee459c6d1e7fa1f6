#include "configuration.h"
#include "engine_host.h"
#include "filter_sidebar.h"
#include "main_window.h"
#include "queue_actions.h"
#include "queue_model.h"
#include "queue_store.h"
#include "queue_summary.h"
#include "queue_view.h"
#include "ui_test_support.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

using hoist::MainWindow;
using hoist::QueueModel;

// Nothing listens on the discard port: jobs fail fast, which is all right here.
const QUrl kNowhere("http://127.0.0.1:9");

struct Fixture : ui_test::AppFixture {
    explicit Fixture(const QString& folder) : AppFixture(folder, kNowhere, "tokA") {}
};

class TestMainWindow final : public QObject {
    Q_OBJECT
  private:
    QString folder(const QString& name) {
        const QString path = m_root + "/" + name;
        QDir().mkpath(path);
        return path;
    }

    // A saved queue of `count` jobs in `folder`: per ten, four paused, three failed and
    // three done, named file-00000.bin and on.
    static bool saveMixedQueue(const QString& folder, int count) {
        QList<hoist::JobRecord> records;
        for (int i = 0; i < count; ++i) {
            hoist::JobRecord record;
            record.path = QStringLiteral("%1/file-%2.bin").arg(folder).arg(i, 5, 10, QChar('0'));
            record.size = 100;
            record.server = kNowhere;
            record.state = i % 10 < 4   ? hoist::JobState::Paused
                           : i % 10 < 7 ? hoist::JobState::Failed
                                        : hoist::JobState::Done;
            records << record;
        }
        return hoist::QueueStore(folder + "/queue").save(records);
    }

    static QStringList paths(const QAbstractItemModel& model) {
        QStringList result;
        for (int row = 0; row < model.rowCount(); ++row)
            result << model.index(row, 0).data(QueueModel::PathRole).toString();
        return result;
    }

    // Sends a drag and a drop of `urls` to `target`, as a file manager would.
    static bool drop(QWidget* target, const QList<QUrl>& urls) {
        QMimeData mime;
        mime.setUrls(urls);
        const QPoint point = target->rect().center();
        QDragEnterEvent enter(point, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        if (!enter.isAccepted())
            return false;
        QDropEvent dropEvent(point, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &dropEvent);
        return dropEvent.isAccepted();
    }

    // HOME is a temporary folder of this run (HOIST_UI_TEST_MAIN).
    const QString m_root = QDir::homePath();

  private slots:
    void emptyQueueShowsTheDropHint() {
        Fixture fixture(folder("empty"));
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        window.resize(900, 500);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QImage image = window.view().viewport()->grab().toImage();
        const QColor base = image.pixelColor(2, 2);
        int marked = 0;
        for (int y = image.height() / 4; y < image.height() * 3 / 4; ++y) {
            for (int x = image.width() / 4; x < image.width() * 3 / 4; ++x)
                marked += image.pixelColor(x, y) != base ? 1 : 0;
        }
        QVERIFY2(marked > 200, "the hint's icon and words are painted in the middle");
    }

    void droppingFilesAndFoldersAddsTheirFiles() {
        const QString files = folder("drop");
        ui_test::writeFile(files + "/a.txt", 10);
        ui_test::writeFile(files + "/folder/x.bin", 1000);
        ui_test::writeFile(files + "/folder/sub/y.bin", 2000);
        ui_test::writeFile(files + "/folder/.hidden", 30);
        Fixture fixture(folder("drop-state"));
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        QAbstractItemModelTester tester(window.view().model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();

        QSignalSpy added(&window, &MainWindow::pathsAdded);
        // Anywhere on the window: here on the table's viewport, which passes it up.
        QVERIFY(drop(window.view().viewport(),
                     {QUrl::fromLocalFile(files + "/a.txt"), QUrl::fromLocalFile(files + "/folder"),
                      QUrl("https://example.org/not-local.txt")}));
        QVERIFY(added.wait(10000));
        QCOMPARE(added.first().at(0).toInt(), 4);
        QCOMPARE(paths(fixture.host->model()),
                 QStringList({files + "/a.txt", files + "/folder/.hidden",
                              files + "/folder/sub/y.bin", files + "/folder/x.bin"}));
        QCOMPARE(fixture.host->model().index(2, 0).data(QueueModel::SizeRole).toLongLong(), 2000);
        window.summary().refresh();
        QCOMPARE(window.summary().totals().jobs, 4);
        QCOMPARE(window.summary().totals().totalBytes, 3040);
    }

    void droppingOnlyRemoteUrlsIsRefused() {
        Fixture fixture(folder("remote"));
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        window.show();
        QVERIFY(!drop(&window, {QUrl("https://example.org/a.txt")}));
        QCOMPARE(fixture.host->model().rowCount(), 0);
    }

    void unreadablePathsAreReported() {
        Fixture fixture(folder("missing"));
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        QSignalSpy added(&window, &MainWindow::pathsAdded);
        window.addPaths({m_root + "/does-not-exist.txt"});
        QVERIFY(added.wait(10000));
        QCOMPARE(added.first().at(0).toInt(), 0);
        QCOMPARE(added.first().at(1).toStringList(), QStringList({m_root + "/does-not-exist.txt"}));
    }

    void remembersColumnWidthsAndSort() {
        Fixture fixture(folder("columns"));
        {
            MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
            QHeaderView* header = window.view().horizontalHeader();
            header->resizeSection(QueueModel::Size, 123);
            window.view().sortByColumn(QueueModel::Size, Qt::DescendingOrder);
            window.saveWindowState();
        }
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        QHeaderView* header = window.view().horizontalHeader();
        QCOMPARE(header->sectionSize(QueueModel::Size), 123);
        QCOMPARE(header->sortIndicatorSection(), int(QueueModel::Size));
        QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        const auto* proxy = qobject_cast<const QSortFilterProxyModel*>(window.view().model());
        QCOMPARE(proxy->sortColumn(), int(QueueModel::Size));
    }

    void restoresPausedAndFailedJobsAsSuch() {
        const QString state = folder("restore");
        ui_test::writeFile(state + "/p.bin", 100);
        hoist::JobRecord paused;
        paused.path = state + "/p.bin";
        paused.size = 100;
        paused.state = hoist::JobState::Paused;
        paused.confirmedBytes = 0;
        hoist::JobRecord failed = paused;
        failed.state = hoist::JobState::Failed;
        failed.error = "the server refused the file";
        QVERIFY(hoist::QueueStore(state + "/queue").save({paused, failed}));

        Fixture fixture(state);
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        const QAbstractItemModel& model = *window.view().model();
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, QueueModel::State).data(QueueModel::StateRole).toInt(),
                 int(hoist::JobState::Paused));
        QCOMPARE(model.index(1, QueueModel::State).data(QueueModel::StateRole).toInt(),
                 int(hoist::JobState::Failed));
        QCOMPARE(model.index(1, QueueModel::Error).data().toString(),
                 QString("the server refused the file"));
    }

    void toolbarFitsTheDefaultWidth() {
        Fixture fixture(folder("toolbar"));
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* toolbar = window.findChild<QToolBar*>("queueToolbar");
        QVERIFY(toolbar);
        auto* overflow = toolbar->findChild<QToolButton*>("qt_toolbar_ext_button");
        QVERIFY(overflow);
        QVERIFY2(!overflow->isVisible(), qPrintable(QString::number(window.width())));
    }

    void filtersCountAndSearchATenThousandRowQueue() {
        const QString state = folder("filters");
        QVERIFY(saveMixedQueue(state, 10000));
        Fixture fixture(state);
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        window.summary().refresh();
        auto* filters = window.sidebar().findChild<QListWidget*>("filters");
        QVERIFY(filters);
        QCOMPARE(filters->item(0)->text(), QStringLiteral("All (10000)"));
        QCOMPARE(filters->item(3)->text(), QStringLiteral("Paused (4000)"));
        QCOMPARE(filters->item(4)->text(), QStringLiteral("Failed (3000)"));
        QCOMPARE(filters->item(5)->text(), QStringLiteral("Done (3000)"));

        const QAbstractItemModel& shown = *window.view().model();
        filters->setCurrentRow(4); // Failed
        QCOMPARE(shown.rowCount(), 3000);
        window.sidebar().findChild<QLineEdit*>("search")->setText("FILE-0012");
        // file-00120 … file-00129 whose last digit is 4, 5 or 6.
        QCOMPARE(shown.rowCount(), 3);
        window.sidebar().findChild<QLineEdit*>("search")->clear();
        filters->setCurrentRow(0);
        QCOMPARE(shown.rowCount(), 10000);

        QElapsedTimer clock;
        clock.start();
        window.actions().clearFinished()->trigger();
        const qint64 took = clock.elapsed();
        QCOMPARE(shown.rowCount(), 7000);
        window.summary().refresh();
        QCOMPARE(filters->item(5)->text(), QStringLiteral("Done (0)"));
        qInfo("Clear Finished over 3,000 of 10,000 rows: %lld ms", took);
    }

    // With nothing selected, Pause, Resume, Retry and Remove act on what the filter and
    // the search show, and say how many rows that is.
    void bulkActionsActOnTheShownRowsWithoutASelection() {
        const QString state = folder("bulk");
        QVERIFY(saveMixedQueue(state, 100));
        Fixture fixture(state);
        MainWindow window(*fixture.host, fixture.configuration, fixture.settings);
        hoist::QueueActions& actions = window.actions();
        auto* filters = window.sidebar().findChild<QListWidget*>("filters");
        auto* search = window.sidebar().findChild<QLineEdit*>("search");
        QVERIFY(filters && search);
        const QAbstractItemModel& shown = *window.view().model();

        filters->setCurrentRow(3); // Paused
        QCOMPARE(shown.rowCount(), 40);
        QCOMPARE(actions.resume()->text(), QStringLiteral("&Resume 40 Shown"));
        QVERIFY(actions.resume()->toolTip().contains("Nothing is selected"));
        QCOMPARE(actions.remove()->text(), QStringLiteral("Re&move 40 Shown"));
        QVERIFY(!actions.pause()->isEnabled());
        QVERIFY(!actions.retry()->isEnabled());
        // The toolbar's label stays short.
        QCOMPARE(actions.resume()->iconText(), QStringLiteral("Resume"));

        search->setText("file-0001"); // file-00010 … file-00013 are paused
        QCOMPARE(shown.rowCount(), 4);
        QCOMPARE(actions.remove()->text(), QStringLiteral("Re&move 4 Shown"));
        {
            ui_test::MessageBoxAnswerer yes(QMessageBox::Yes);
            actions.remove()->trigger();
            QVERIFY(yes.answered());
            QVERIFY2(yes.text().contains("all 4 upload"), qPrintable(yes.text()));
        }
        QCOMPARE(fixture.host->model().rowCount(), 96);
        QCOMPARE(shown.rowCount(), 0);
        QVERIFY(!paths(fixture.host->model()).contains(state + "/file-00010.bin"));
        QVERIFY(paths(fixture.host->model()).contains(state + "/file-00014.bin")); // failed

        search->clear();
        filters->setCurrentRow(4); // Failed
        QCOMPARE(actions.retry()->text(), QStringLiteral("Re&try 30 Shown"));
        window.view().selectRow(0);
        QCOMPARE(actions.retry()->text(), QStringLiteral("Re&try"));
        QCOMPARE(actions.remove()->text(), QStringLiteral("Re&move"));
        window.view().clearSelection();
        QCOMPARE(actions.retry()->text(), QStringLiteral("Re&try 30 Shown"));

        filters->setCurrentRow(3); // Paused
        actions.resume()->trigger();
        // Every shown paused row left Paused; the failed and done rows were not touched.
        window.summary().refresh();
        QCOMPARE(filters->item(3)->text(), QStringLiteral("Paused (0)"));
        QCOMPARE(filters->item(5)->text(), QStringLiteral("Done (30)"));
    }
};

HOIST_UI_TEST_MAIN(TestMainWindow)

#include "tst_main_window.moc"
