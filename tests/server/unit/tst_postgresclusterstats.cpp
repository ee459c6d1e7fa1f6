// What a node's /metrics reads of its database pool and its session leases
// (docs/protocol.md, "Metrics"), on a PostgreSQL cluster the test starts.
#include "postgres_database.h"
#include "postgres_session_locker.h"
#include "temporary_postgres.h"

#include <QTest>

#include <thread>

using namespace hoist;

class TestPostgresClusterStats final : public QObject {
    Q_OBJECT

  private slots:
    void poolCountsItsConnections();
    void aLeaseOfADeadHolderIsCountedAsTakenOver();
    void aLeaseTakenOverByAnotherNodeIsCountedAsLost();
    void renewalsTheDatabaseCannotAnswerAreCountedAndTheLeaseOutlivesAShortOutage();
};

void TestPostgresClusterStats::poolCountsItsConnections() {
    test::TemporaryPostgres database;
    auto pool =
        PostgresDatabase::open({database.url().toStdString(), 2, std::chrono::milliseconds(100)});
    QVERIFY(pool);
    PostgresDatabase::Stats stats = (*pool)->stats();
    QCOMPARE(stats.limit, std::size_t{2});
    QVERIFY(stats.up);
    QCOMPARE(stats.idle, std::size_t{1}); // open() proved the URL with one
    QCOMPARE(stats.busy, std::size_t{0});
    {
        auto first = (*pool)->acquire();
        auto second = (*pool)->acquire();
        QVERIFY(first && second);
        stats = (*pool)->stats();
        QCOMPARE(stats.busy, std::size_t{2});
        QCOMPARE(stats.idle, std::size_t{0});
        QVERIFY(!(*pool)->acquire());
        QCOMPARE((*pool)->stats().acquireTimeouts, std::uint64_t{1});
    }
    stats = (*pool)->stats();
    QCOMPARE(stats.busy, std::size_t{0});
    QCOMPARE(stats.idle, std::size_t{2});
}

void TestPostgresClusterStats::aLeaseOfADeadHolderIsCountedAsTakenOver() {
    test::TemporaryPostgres database;
    PostgresSessionLocker locker(database.db(), std::chrono::milliseconds(600));
    QVERIFY(database.db().exec("INSERT INTO session_leases (session_id, holder, expires_at) "
                               "VALUES ('dead', 'gone', clock_timestamp() - interval '1 s')"));
    auto fresh = locker.tryAcquire("fresh");
    QVERIFY(fresh);
    QCOMPARE(locker.stats().takenOver, std::uint64_t{0});
    auto taken = locker.tryAcquire("dead");
    QVERIFY(taken);
    QCOMPARE(locker.stats().takenOver, std::uint64_t{1});
    QCOMPARE(locker.stats().held, std::size_t{2});
    fresh->reset();
    QCOMPARE(locker.stats().held, std::size_t{1});
}

void TestPostgresClusterStats::aLeaseTakenOverByAnotherNodeIsCountedAsLost() {
    test::TemporaryPostgres database;
    PostgresSessionLocker locker(database.db(), std::chrono::milliseconds(600));
    auto held = locker.tryAcquire("stalled");
    auto kept = locker.tryAcquire("kept");
    QVERIFY(held && kept);
    // Another node took the session over while this one stalled past its lease.
    QVERIFY(database.db().exec(
        "UPDATE session_leases SET holder = 'other node' WHERE session_id = 'stalled'"));
    QTRY_COMPARE_WITH_TIMEOUT(locker.stats().lost, std::uint64_t{1}, 3000);
    QCOMPARE(locker.stats().held, std::size_t{1});
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // more renewals
    QCOMPARE(locker.stats().lost, std::uint64_t{1});             // counted once
    QCOMPARE(locker.stats().renewFailures, std::uint64_t{0});
    // Its late release leaves the other node's lease alone.
    held->reset();
    auto row = database.db().exec("SELECT holder FROM session_leases WHERE session_id = 'stalled'");
    QVERIFY(row && row->rows() == 1);
    QCOMPARE(row->text(0, 0), std::string("other node"));
}

void TestPostgresClusterStats::
    renewalsTheDatabaseCannotAnswerAreCountedAndTheLeaseOutlivesAShortOutage() {
    test::TemporaryPostgres database;
    // The node's own pool, apart from the connection that plays the outage.
    auto node =
        PostgresDatabase::open({database.url().toStdString(), 2, std::chrono::milliseconds(100)});
    QVERIFY(node);
    PostgresSessionLocker locker(**node, std::chrono::milliseconds(3000));
    auto held = locker.tryAcquire("session");
    QVERIFY(held);
    auto admin = database.db().acquire();
    QVERIFY(admin);
    const QString name =
        QString::fromStdString(admin->exec("SELECT current_database()")->text(0, 0));
    PostgresCluster* cluster = PostgresCluster::shared(nullptr);
    // The database goes away for the node: its connections are cut and no new one is
    // let in (renewals run every second).
    QVERIFY2(cluster->exec("postgres", "ALTER DATABASE \"" + name + "\" ALLOW_CONNECTIONS false"),
             qPrintable(cluster->errorString()));
    QVERIFY(admin->exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    QTRY_VERIFY_WITH_TIMEOUT(locker.stats().renewFailures >= 1, 2500);
    QVERIFY2(cluster->exec("postgres", "ALTER DATABASE \"" + name + "\" ALLOW_CONNECTIONS true"),
             qPrintable(cluster->errorString()));
    // Back within the lease: renewed again, still held, nothing lost.
    QTRY_VERIFY_WITH_TIMEOUT(
        admin->exec("SELECT 1 FROM session_leases WHERE session_id = 'session' "
                    "AND expires_at > clock_timestamp() + interval '2500 ms'")
                ->rows() == 1,
        3000);
    const std::uint64_t failures = locker.stats().renewFailures;
    std::this_thread::sleep_for(std::chrono::milliseconds(1500)); // another renewal
    QCOMPARE(locker.stats().renewFailures, failures);
    QCOMPARE(locker.stats().held, std::size_t{1});
    QCOMPARE(locker.stats().lost, std::uint64_t{0});
}

QTEST_GUILESS_MAIN(TestPostgresClusterStats)
#include "tst_postgresclusterstats.moc"
