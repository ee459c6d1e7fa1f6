// SchemaMigrator: versioned steps applied once, on SQLite and on PostgreSQL; a database
// from before migrations adopts version 1; a newer schema is refused; nodes migrating
// an empty PostgreSQL database at once all succeed, and the steps run once.
#include "postgres_database.h"
#include "schema_migrator.h"
#include "sqlite_database.h"
#include "temporary_postgres.h"

#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <vector>

using namespace hoist;

namespace {
int sqliteVersion(SqliteDatabase& db) {
    auto lock = db.lock();
    Statement version(db, "PRAGMA user_version");
    return version.step() == SQLITE_ROW ? static_cast<int>(version.integer(0)) : -1;
}
} // namespace

class TestSchemaMigrator final : public QObject {
    Q_OBJECT

  private slots:
    void sqliteFreshDatabaseGetsTheLatestVersion() {
        QTemporaryDir dir;
        auto db = SqliteDatabase::open(dir.filePath("a.db").toStdString());
        QVERIFY(db);
        QVERIFY(SchemaMigrator::migrate(**db));
        QCOMPARE(sqliteVersion(**db), SchemaMigrator::latestVersion());
        QVERIFY(SchemaMigrator::migrate(**db)); // again: nothing to do
        auto lock = (*db)->lock();
        QVERIFY((*db)->exec("SELECT file_id FROM files; SELECT id FROM sessions"));
    }

    void sqliteDatabaseFromBeforeMigrationsKeepsItsRows() {
        QTemporaryDir dir;
        auto db = SqliteDatabase::open(dir.filePath("old.db").toStdString());
        QVERIFY(db);
        {
            auto lock = (*db)->lock();
            QVERIFY((*db)->exec("CREATE TABLE files (file_id TEXT PRIMARY KEY, user_id TEXT NOT "
                                "NULL, file_name TEXT NOT NULL, size INTEGER NOT NULL, "
                                "fingerprint TEXT NOT NULL, mime_type TEXT NOT NULL, "
                                "detected_mime_type TEXT NOT NULL, created_at INTEGER NOT NULL, "
                                "storage_key TEXT NOT NULL, session_id TEXT NOT NULL); "
                                "INSERT INTO files VALUES ('f', 'u', 'n', 1, 'x', 'm', 'd', 1, "
                                "'k', 's')"));
        }
        QVERIFY(SchemaMigrator::migrate(**db));
        QCOMPARE(sqliteVersion(**db), SchemaMigrator::latestVersion());
        auto lock = (*db)->lock();
        Statement count(**db, "SELECT COUNT(*) FROM files");
        QCOMPARE(count.step(), SQLITE_ROW);
        QCOMPARE(count.integer(0), 1);
    }

    void sqliteNewerSchemaIsRefused() {
        QTemporaryDir dir;
        auto db = SqliteDatabase::open(dir.filePath("new.db").toStdString());
        QVERIFY(db);
        {
            auto lock = (*db)->lock();
            QVERIFY((*db)->exec("PRAGMA user_version = 999"));
        }
        const auto migrated = SchemaMigrator::migrate(**db);
        QVERIFY(!migrated);
        QCOMPARE(migrated.error().kind, SchemaError::Kind::TooNew);
    }

    void postgresNodesMigratingAtOnceAllSucceed() {
        QString why;
        PostgresCluster* cluster = PostgresCluster::shared(&why);
        QVERIFY2(cluster, qPrintable(why));
        const QString url = cluster->createDatabase();
        QVERIFY(!url.isEmpty());
        constexpr int kNodes = 4;
        std::vector<std::unique_ptr<PostgresDatabase>> pools;
        for (int i = 0; i < kNodes; ++i) {
            auto pool = PostgresDatabase::open({url.toStdString()});
            QVERIFY(pool);
            pools.push_back(std::move(*pool));
        }
        std::vector<int> failures(kNodes, 0);
        std::vector<std::thread> nodes;
        for (int i = 0; i < kNodes; ++i)
            nodes.emplace_back([&, i] {
                failures[static_cast<std::size_t>(i)] =
                    SchemaMigrator::migrate(*pools[static_cast<std::size_t>(i)]) ? 0 : 1;
            });
        for (auto& node : nodes)
            node.join();
        QCOMPARE(failures, std::vector<int>(kNodes, 0));
        auto rows = pools[0]->exec("SELECT version FROM schema_version");
        QVERIFY(rows);
        QCOMPARE(rows->rows(), 1);
        QCOMPARE(rows->integer(0, 0), SchemaMigrator::latestVersion());
    }

    void postgresNewerSchemaIsRefused() {
        test::TemporaryPostgres database;
        QVERIFY(database.db().exec("UPDATE schema_version SET version = 999"));
        const auto migrated = SchemaMigrator::migrate(database.db());
        QVERIFY(!migrated);
        QCOMPARE(migrated.error().kind, SchemaError::Kind::TooNew);
    }
};

QTEST_GUILESS_MAIN(TestSchemaMigrator)
#include "tst_schemamigrator.moc"
