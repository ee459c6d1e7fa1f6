// The SessionLocker contract (session_locker.h), run against every implementation:
// one holder per session, refusal at once instead of waiting, release with the
// lock, sessions independent of each other, and a vanished holder does not keep a
// session locked for ever. A database locker adds one row to lockers().
#include "fake_session_locker.h"
#include "in_process_session_locker.h"
#include "postgres_session_locker.h"
#include "temporary_postgres.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace hoist;

namespace {
// An implementation, and how a holder of it vanishes without releasing.
class LockerUnderTest {
  public:
    virtual ~LockerUnderTest() = default;
    virtual SessionLocker& locker() = 0;
    // The holder is gone (its process died, its node lost the network) and its guard
    // is never destroyed in time; afterwards locker() is what the next request sees.
    virtual void holderVanishes() = 0;
};

// In-process: the lock dies with the process; the next request meets a new one.
class InProcessUnderTest final : public LockerUnderTest {
  public:
    SessionLocker& locker() override { return *m_lockers.back(); }
    void holderVanishes() override {
        m_lockers.push_back(std::make_unique<InProcessSessionLocker>());
    }

  private:
    // The dead process's locker stays allocated: its orphaned guards still point at it.
    std::vector<std::unique_ptr<InProcessSessionLocker>> m_lockers = [] {
        std::vector<std::unique_ptr<InProcessSessionLocker>> one;
        one.push_back(std::make_unique<InProcessSessionLocker>());
        return one;
    }();
};

// Leases: the lock of a vanished holder expires.
class LeaseUnderTest final : public LockerUnderTest {
  public:
    SessionLocker& locker() override { return m_locker; }
    void holderVanishes() override { m_locker.advance(test::FakeSessionLocker::kLeaseSeconds); }

  private:
    test::FakeSessionLocker m_locker;
};

// Leases in PostgreSQL: the vanished holder's node stops renewing (its locker is gone,
// its guard never released) and the next request, on another node, waits out the lease.
class PostgresUnderTest final : public LockerUnderTest {
  public:
    SessionLocker& locker() override { return *m_nodes.back(); }
    void holderVanishes() override {
        m_nodes.back().reset();
        std::this_thread::sleep_for(kLease + std::chrono::milliseconds(200));
        m_nodes.push_back(std::make_unique<PostgresSessionLocker>(m_database.db(), kLease));
    }

  private:
    static constexpr std::chrono::milliseconds kLease{1500};
    test::TemporaryPostgres m_database;
    std::vector<std::unique_ptr<PostgresSessionLocker>> m_nodes = [this] {
        std::vector<std::unique_ptr<PostgresSessionLocker>> one;
        one.push_back(std::make_unique<PostgresSessionLocker>(m_database.db(), kLease));
        return one;
    }();
};

using LockerFactory = std::function<std::unique_ptr<LockerUnderTest>()>;

void lockers() {
    QTest::addColumn<LockerFactory>("make");
    QTest::newRow("in-process") << LockerFactory(
        [] { return std::make_unique<InProcessUnderTest>(); });
    QTest::newRow("fake leases") << LockerFactory(
        [] { return std::make_unique<LeaseUnderTest>(); });
    QTest::newRow("postgres leases")
        << LockerFactory([] { return std::make_unique<PostgresUnderTest>(); });
}
} // namespace

Q_DECLARE_METATYPE(LockerFactory)

class TestSessionLockerContract final : public QObject {
    Q_OBJECT

  private slots:
    void secondHolderIsRefusedAtOnce_data() { lockers(); }
    void secondHolderIsRefusedAtOnce();
    void releaseFreesTheSession_data() { lockers(); }
    void releaseFreesTheSession();
    void sessionsAreIndependent_data() { lockers(); }
    void sessionsAreIndependent();
    void racingRequestsGetOneHolder_data() { lockers(); }
    void racingRequestsGetOneHolder();
    void vanishedHolderDoesNotLockForever_data() { lockers(); }
    void vanishedHolderDoesNotLockForever();
};

void TestSessionLockerContract::secondHolderIsRefusedAtOnce() {
    QFETCH(LockerFactory, make);
    const auto under = make();
    SessionLocker* locker = &under->locker();
    auto first = locker->tryAcquire("s1");
    QVERIFY(first);
    QVERIFY(*first);
    const auto second = locker->tryAcquire("s1");
    QVERIFY(!second);
    QCOMPARE(second.error().kind, StoreError::Kind::Conflict);
}

void TestSessionLockerContract::releaseFreesTheSession() {
    QFETCH(LockerFactory, make);
    const auto under = make();
    SessionLocker* locker = &under->locker();
    {
        auto held = locker->tryAcquire("s1");
        QVERIFY(held);
        // A guard moved elsewhere keeps the lock.
        SessionLocker::Guard moved = std::move(*held);
        QVERIFY(!locker->tryAcquire("s1"));
    }
    QVERIFY(locker->tryAcquire("s1"));
}

void TestSessionLockerContract::sessionsAreIndependent() {
    QFETCH(LockerFactory, make);
    const auto under = make();
    SessionLocker* locker = &under->locker();
    auto first = locker->tryAcquire("s1");
    auto second = locker->tryAcquire("s2");
    QVERIFY(first);
    QVERIFY(second);
}

void TestSessionLockerContract::racingRequestsGetOneHolder() {
    QFETCH(LockerFactory, make);
    const auto under = make();
    SessionLocker* locker = &under->locker();
    constexpr int kThreads = 8;
    std::atomic<int> winners{0};
    std::atomic<bool> go{false};
    std::vector<SessionLocker::Guard> kept(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
            while (!go)
                std::this_thread::yield();
            if (auto guard = locker->tryAcquire("contended")) {
                ++winners;
                kept[static_cast<std::size_t>(i)] = std::move(*guard);
            }
        });
    go = true;
    for (auto& thread : threads)
        thread.join();
    QCOMPARE(winners.load(), 1);
}

void TestSessionLockerContract::vanishedHolderDoesNotLockForever() {
    QFETCH(LockerFactory, make);
    const auto under = make();
    auto orphan = under->locker().tryAcquire("s1");
    QVERIFY(orphan);
    QVERIFY(!under->locker().tryAcquire("s1"));
    under->holderVanishes();
    auto next = under->locker().tryAcquire("s1");
    QVERIFY(next);
    // The vanished holder's late release does not free the new holder's lock.
    orphan->reset();
    QVERIFY(!under->locker().tryAcquire("s1"));
}

QTEST_GUILESS_MAIN(TestSessionLockerContract)
#include "tst_session_locker_contract.moc"
