// FinalizationRunner: one attempt records its outcome; failed deliveries back off
// exponentially with jitter up to a cap; the background thread retries what is due.
#include "fake_finalizer.h"
#include "fake_session_store.h"
#include "finalization.h"
#include "in_process_session_locker.h"

#include "time_format.h"

#include <QTest>

#include <algorithm>
#include <condition_variable>
#include <mutex>

using namespace hoist;
using hoist::test::FakeFinalizer;
using hoist::test::FakeSessionStore;

namespace {
// Holds every finalization until `wanted` of them are in flight at once (an application
// server that answers only when pressed from all sides), then completes them all.
class GatheringFinalizer final : public Finalizer {
  public:
    explicit GatheringFinalizer(int wanted) : m_wanted(wanted) {}

    FinalizeOutcome finalize(const Session& session) override {
        std::unique_lock lock(m_mutex);
        ++m_inFlight;
        m_gathered.notify_all();
        const bool all = m_gathered.wait_for(lock, std::chrono::seconds(10),
                                             [this] { return m_inFlight >= m_wanted; });
        if (!all)
            return {FinalizeOutcome::Status::Retry, {}, "attempts were not run side by side"};
        return {FinalizeOutcome::Status::Completed, "file-" + session.id, {}};
    }

  private:
    const int m_wanted;
    std::mutex m_mutex;
    std::condition_variable m_gathered;
    int m_inFlight = 0;
};

Session finalizingSession(const std::string& id, std::int64_t nextAttemptAt) {
    Session s;
    s.id = id;
    s.userId = "alice";
    s.size = 10;
    s.state = SessionState::Finalizing;
    s.expiresAt = nowSeconds() + 3600;
    s.nextFinalizeAt = nextAttemptAt;
    return s;
}
} // namespace

class TestFinalizationRunner final : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void cleanup();
    void backoffGrowsWithJitterUpToACap_data();
    void backoffGrowsWithJitterUpToACap();
    void backoffHasJitter();
    void successfulAttemptCompletes();
    void failedAttemptSchedulesTheNext();
    void backgroundRetriesOnlyWhatIsDue();
    void backgroundSkipsLockedSessions();
    void retriesRunSideBySide();
    void aFailedAttemptWakesTheRunnerWhenDue();

  private:
    std::unique_ptr<FakeSessionStore> m_store;
    std::unique_ptr<FakeFinalizer> m_finalizer;
    std::unique_ptr<InProcessSessionLocker> m_locks;
    Metrics m_metrics;
    Logger m_logger{LogLevel::Error};
    std::unique_ptr<FinalizationRunner> m_runner;
};

void TestFinalizationRunner::init() {
    m_store = std::make_unique<FakeSessionStore>();
    m_finalizer = std::make_unique<FakeFinalizer>();
    m_locks = std::make_unique<InProcessSessionLocker>();
    m_runner =
        std::make_unique<FinalizationRunner>(*m_store, *m_finalizer, *m_locks, m_metrics, m_logger);
}

void TestFinalizationRunner::cleanup() {
    m_runner.reset(); // stops its thread before what it uses goes
}

void TestFinalizationRunner::backoffGrowsWithJitterUpToACap_data() {
    QTest::addColumn<int>("attempts");
    QTest::addColumn<qint64>("base");
    QTest::newRow("none yet") << 0 << qint64(1);
    QTest::newRow("1") << 1 << qint64(1);
    QTest::newRow("2") << 2 << qint64(2);
    QTest::newRow("3") << 3 << qint64(4);
    QTest::newRow("5") << 5 << qint64(16);
    QTest::newRow("9") << 9 << qint64(256);
    QTest::newRow("10: capped") << 10 << qint64(300);
    QTest::newRow("30: capped") << 30 << qint64(300);
    QTest::newRow("huge") << 1000000 << qint64(300);
}

void TestFinalizationRunner::backoffGrowsWithJitterUpToACap() {
    QFETCH(int, attempts);
    QFETCH(qint64, base);
    for (int i = 0; i < 200; ++i) {
        const std::int64_t delay = FinalizationRunner::backoffSeconds(attempts);
        QVERIFY2(delay >= base && delay <= base + base / 4,
                 qPrintable(QStringLiteral("%1 s after %2 attempts").arg(delay).arg(attempts)));
    }
}

void TestFinalizationRunner::backoffHasJitter() {
    std::vector<std::int64_t> delays;
    for (int i = 0; i < 100; ++i)
        delays.push_back(FinalizationRunner::backoffSeconds(20));
    const auto [low, high] = std::minmax_element(delays.begin(), delays.end());
    QVERIFY2(*high - *low >= 10, "100 delays of a capped backoff barely differ");
}

void TestFinalizationRunner::successfulAttemptCompletes() {
    QVERIFY(m_store->create(finalizingSession("s1", 0)));
    const auto done = m_runner->attempt(finalizingSession("s1", 0));
    QVERIFY(done);
    QCOMPARE(done->state, SessionState::Completed);
    QCOMPARE(done->fileId, "file-s1");
    const Session stored = m_store->find("s1").value().value();
    QCOMPARE(stored.state, SessionState::Completed);
    QCOMPARE(stored.fileId, "file-s1");
}

void TestFinalizationRunner::failedAttemptSchedulesTheNext() {
    m_finalizer->setOutcome(FinalizeOutcome::Status::Retry);
    Session session = finalizingSession("s1", 0);
    session.finalizeAttempts = 3;
    QVERIFY(m_store->create(session));
    const std::int64_t before = nowSeconds();
    const auto pending = m_runner->attempt(session);
    QVERIFY(pending);
    QCOMPARE(pending->state, SessionState::Finalizing);
    QCOMPARE(pending->finalizeAttempts, 4);
    // Attempt 4 failed: the fifth waits 8 s, plus up to a quarter of jitter.
    QVERIFY(pending->nextFinalizeAt >= before + 8);
    QVERIFY(pending->nextFinalizeAt <= nowSeconds() + 10);
    const Session stored = m_store->find("s1").value().value();
    QCOMPARE(stored.finalizeAttempts, 4);
    QCOMPARE(stored.nextFinalizeAt, pending->nextFinalizeAt);
}

void TestFinalizationRunner::backgroundRetriesOnlyWhatIsDue() {
    const std::int64_t now = nowSeconds();
    QVERIFY(m_store->create(finalizingSession("due", now - 1)));
    QVERIFY(m_store->create(finalizingSession("later", now + 3600)));
    Session expired = finalizingSession("expired", now - 1);
    expired.expiresAt = now - 1;
    QVERIFY(m_store->create(expired));
    m_runner->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_store->find("due").value()->state, SessionState::Completed, 5000);
    m_runner->stop();
    QCOMPARE(m_store->find("later").value()->state, SessionState::Finalizing);
    QCOMPARE(m_store->find("expired").value()->state, SessionState::Finalizing);
    QCOMPARE(m_finalizer->finalized().size(), std::size_t(1));
}

void TestFinalizationRunner::backgroundSkipsLockedSessions() {
    QVERIFY(m_store->create(finalizingSession("busy", 0)));
    {
        // A request holds the session (a client polling complete): the runner passes by.
        const auto guard = m_locks->tryAcquire("busy");
        QVERIFY(guard);
        m_runner->start();
        QTest::qWait(300);
        QVERIFY(m_finalizer->finalized().empty());
    }
    // Its next round (every second) takes it.
    QTRY_COMPARE_WITH_TIMEOUT(m_store->find("busy").value()->state, SessionState::Completed, 5000);
}

void TestFinalizationRunner::retriesRunSideBySide() {
    // A slow application server must not hold back the other sessions' retries.
    constexpr int kSessions = 4;
    GatheringFinalizer gathering(kSessions);
    FinalizationRunner runner(*m_store, gathering, *m_locks, m_metrics, m_logger, kSessions);
    for (int i = 0; i < kSessions; ++i)
        QVERIFY(m_store->create(finalizingSession("s" + std::to_string(i), 0)));
    runner.start();
    for (int i = 0; i < kSessions; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(m_store->find("s" + std::to_string(i)).value()->state,
                                  SessionState::Completed, 8000);
    runner.stop();
}

void TestFinalizationRunner::aFailedAttemptWakesTheRunnerWhenDue() {
    m_runner->start();
    QVERIFY(m_store->create(finalizingSession("later", 0)));
    m_finalizer->setOutcome(FinalizeOutcome::Status::Retry);
    const auto pending = m_runner->attempt(m_store->find("later").value().value());
    QVERIFY(pending);
    QCOMPARE(pending->state, SessionState::Finalizing);
    m_finalizer->setOutcome(FinalizeOutcome::Status::Completed);
    // Scheduled by the attempt itself (1 s backoff): no store scan finds it.
    QTRY_COMPARE_WITH_TIMEOUT(m_store->find("later").value()->state, SessionState::Completed, 5000);
    QCOMPARE(m_finalizer->finalized().size(), std::size_t(2));
}

QTEST_GUILESS_MAIN(TestFinalizationRunner)
#include "tst_finalizationrunner.moc"
