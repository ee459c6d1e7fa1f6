// The SessionLocker contract (session_locker.h), run against every implementation:
// one holder per session, refusal at once instead of waiting, release with the
// lock, sessions independent of each other. A database locker adds one row to
// lockers().
#include "in_process_session_locker.h"

#include <QTest>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace hoist;

using LockerFactory = std::function<std::unique_ptr<SessionLocker>()>;
Q_DECLARE_METATYPE(LockerFactory)

namespace {
void lockers() {
    QTest::addColumn<LockerFactory>("make");
    QTest::newRow("in-process") << LockerFactory(
        [] { return std::unique_ptr<SessionLocker>(std::make_unique<InProcessSessionLocker>()); });
}
} // namespace

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
};

void TestSessionLockerContract::secondHolderIsRefusedAtOnce() {
    QFETCH(LockerFactory, make);
    const auto locker = make();
    auto first = locker->tryAcquire("s1");
    QVERIFY(first);
    QVERIFY(*first);
    const auto second = locker->tryAcquire("s1");
    QVERIFY(!second);
    QCOMPARE(second.error().kind, StoreError::Kind::Conflict);
}

void TestSessionLockerContract::releaseFreesTheSession() {
    QFETCH(LockerFactory, make);
    const auto locker = make();
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
    const auto locker = make();
    auto first = locker->tryAcquire("s1");
    auto second = locker->tryAcquire("s2");
    QVERIFY(first);
    QVERIFY(second);
}

void TestSessionLockerContract::racingRequestsGetOneHolder() {
    QFETCH(LockerFactory, make);
    const auto locker = make();
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

QTEST_GUILESS_MAIN(TestSessionLockerContract)
#include "tst_session_locker_contract.moc"
