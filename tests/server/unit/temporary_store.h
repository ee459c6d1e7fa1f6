#pragma once

#include "sqlite_database.h"

#include <QTemporaryDir>

#include <memory>

namespace hoist::test {

// A SQLite-backed store (SqliteSessionStore, SqliteFileCatalog) on a database in a
// fresh temporary folder. reopen() closes and opens it again, as a restarted hoistd
// would.
template <typename Store> class TemporaryStore final {
  public:
    TemporaryStore() { reopen(); }

    Store& store() { return *m_store; }

    void reopen() {
        m_store.reset();
        m_db.reset();
        if (!m_dir.isValid())
            qFatal("no temporary folder: %s", qPrintable(m_dir.errorString()));
        auto db = SqliteDatabase::open(m_dir.filePath("hoistd.db").toStdString());
        if (!db)
            qFatal("%s", db.error().c_str());
        m_db = std::move(*db);
        auto store = Store::open(*m_db);
        if (!store)
            qFatal("%s", store.error().message.c_str());
        m_store = std::move(*store);
    }

  private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqliteDatabase> m_db;
    std::unique_ptr<Store> m_store;
};

} // namespace hoist::test
