#include "job_state.h"
#include "queue_model.h"
#include "queue_sort_proxy.h"
#include "state_presentation.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QIcon>
#include <QStandardItemModel>
#include <QTest>

#include <memory>

using hoist::JobState;
using hoist::QueueModel;

class TestQueueSortProxy final : public QObject {
    Q_OBJECT

  private:
    struct Row {
        QString name;
        qint64 size;
        JobState state;
        double speed;
    };

    // Rows as the engine's model gives them: text for display, raw values in roles.
    static void fill(QStandardItemModel& model, const QList<Row>& rows) {
        model.setColumnCount(QueueModel::ColumnCount);
        model.setRowCount(static_cast<int>(rows.size()));
        const QLocale locale;
        for (int row = 0; row < rows.size(); ++row) {
            for (int column = 0; column < QueueModel::ColumnCount; ++column) {
                const QModelIndex index = model.index(row, column);
                model.setData(index, rows[row].size, QueueModel::SizeRole);
                model.setData(index, static_cast<int>(rows[row].state), QueueModel::StateRole);
                model.setData(index, rows[row].speed, QueueModel::SpeedRole);
            }
            model.setData(model.index(row, QueueModel::Name), rows[row].name);
            model.setData(model.index(row, QueueModel::Size),
                          locale.formattedDataSize(rows[row].size));
            model.setData(model.index(row, QueueModel::State),
                          hoist::jobStateName(rows[row].state));
        }
    }

    static QStringList names(const QAbstractItemModel& model) {
        QStringList result;
        for (int row = 0; row < model.rowCount(); ++row)
            result << model.index(row, QueueModel::Name).data().toString();
        return result;
    }

    // Fresh for every test function.
    std::unique_ptr<QStandardItemModel> m_source;
    std::unique_ptr<hoist::QueueSortProxy> m_proxy;

    QList<Row> m_rows{{"b.iso", 2'000'000'000, JobState::Uploading, 5e6},
                      {"a.txt", 900, JobState::Done, 0},
                      {"C.png", 1'500, JobState::Failed, 0},
                      {"d.mov", 30'000'000, JobState::Paused, 1.5}};

  private slots:
    void init() {
        m_source = std::make_unique<QStandardItemModel>();
        fill(*m_source, m_rows);
        m_proxy = std::make_unique<hoist::QueueSortProxy>();
    }

    void keepsQueueOrderUntilSorted() {
        QAbstractItemModelTester tester(m_proxy.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxy->setSourceModel(m_source.get());
        QCOMPARE(names(*m_proxy), QStringList({"b.iso", "a.txt", "C.png", "d.mov"}));
    }

    void sortsSizesByBytesNotByText() {
        m_proxy->setSourceModel(m_source.get());
        m_proxy->sort(QueueModel::Size, Qt::AscendingOrder);
        // As text, "900 bytes" would come last and "2 GB" before "29 MB".
        QCOMPARE(names(*m_proxy), QStringList({"a.txt", "C.png", "d.mov", "b.iso"}));
    }

    void sortsSpeedsAsNumbers() {
        m_proxy->setSourceModel(m_source.get());
        m_proxy->sort(QueueModel::Speed, Qt::DescendingOrder);
        QCOMPARE(names(*m_proxy).first(), QString("b.iso"));
        QCOMPARE(names(*m_proxy).at(1), QString("d.mov"));
    }

    void sortsNamesCaseInsensitively() {
        m_proxy->setSourceModel(m_source.get());
        m_proxy->sort(QueueModel::Name, Qt::AscendingOrder);
        QCOMPARE(names(*m_proxy), QStringList({"a.txt", "b.iso", "C.png", "d.mov"}));
    }

    void showsStatesInWordsWithIcons() {
        m_proxy->setSourceModel(m_source.get());
        const QModelIndex state = m_proxy->index(0, QueueModel::State);
        QCOMPARE(state.data().toString(), hoist::stateLabel(JobState::Uploading));
        const QIcon icon = state.data(Qt::DecorationRole).value<QIcon>();
        QVERIFY(!icon.isNull());
        QVERIFY2(!icon.pixmap(16, 16).isNull(), "the SVG icon renders (libqt6svg6)");
        QCOMPARE(m_proxy->headerData(QueueModel::Confirmed, Qt::Horizontal).toString(),
                 QString("Progress"));
    }

    void followsSourceChanges() {
        QAbstractItemModelTester tester(m_proxy.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxy->setSourceModel(m_source.get());
        m_proxy->sort(QueueModel::Size, Qt::AscendingOrder);
        m_source->setData(m_source->index(1, QueueModel::Size), 5'000'000'000LL,
                          QueueModel::SizeRole);
        QCOMPARE(names(*m_proxy).last(), QString("a.txt"));
        m_source->removeRow(0);
        QCOMPARE(m_proxy->rowCount(), 3);
    }
};

QTEST_MAIN(TestQueueSortProxy)
#include "tst_queue_sort_proxy.moc"
