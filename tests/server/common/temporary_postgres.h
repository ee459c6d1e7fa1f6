#pragma once

#include "postgres_cluster.h"
#include "postgres_database.h"
#include "schema_migrator.h"

#include <QtGlobal>

#include <memory>

namespace hoist::test {

// A fresh database on the test process's PostgreSQL cluster, with hoistd's schema and
// a pool of hoistd's on it. PostgreSQL is part of the test command (scripts/install-deps.sh
// test): without it this stops the test with the reason, never passes quietly.
class TemporaryPostgres final {
  public:
    TemporaryPostgres() {
        QString why;
        PostgresCluster* cluster = PostgresCluster::shared(&why);
        if (!cluster)
            qFatal("no PostgreSQL cluster for the test: %s", qPrintable(why));
        m_url = cluster->createDatabase();
        if (m_url.isEmpty())
            qFatal("cannot create a test database: %s", qPrintable(cluster->errorString()));
        auto db = PostgresDatabase::open({m_url.toStdString()});
        if (!db)
            qFatal("%s", db.error().message.c_str());
        m_db = std::move(*db);
        if (auto migrated = SchemaMigrator::migrate(*m_db); !migrated)
            qFatal("%s", migrated.error().message.c_str());
    }

    PostgresDatabase& db() { return *m_db; }
    QString url() const { return m_url; }

  private:
    QString m_url;
    std::unique_ptr<PostgresDatabase> m_db;
};

// A PostgreSQL-backed store (PostgresSessionStore, PostgresFileCatalog) on a fresh
// database.
template <typename Store> class TemporaryPostgresStore final {
  public:
    TemporaryPostgresStore() {
        auto store = Store::open(m_database.db());
        if (!store)
            qFatal("%s", store.error().message.c_str());
        m_store = std::move(*store);
    }
    Store& store() { return *m_store; }

  private:
    TemporaryPostgres m_database;
    std::unique_ptr<Store> m_store;
};

} // namespace hoist::test
