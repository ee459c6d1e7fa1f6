#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

// A PostgreSQL 15 cluster of its own for a test: initdb in a temporary folder, the
// server on a free loopback port with its socket in that folder, stopped and removed
// when destroyed. PostgreSQL refuses to run as root, so under root the cluster belongs
// to the `postgres` user the Debian package creates (runuser). The binaries are
// Debian's (/usr/lib/postgresql/15/bin, or $HOIST_PG_BINDIR); where they are missing
// start() fails with the reason and the test skips, loudly.
class PostgresCluster final {
  public:
    PostgresCluster();
    ~PostgresCluster();
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    // initdb (first time only) and start; waits until it accepts connections.
    bool start();
    // Stops it; `immediate` is a crash (no shutdown checkpoint), as a power cut would.
    bool stop(bool immediate = false);
    QString errorString() const { return m_error; }

    quint16 port() const { return m_port; }
    // libpq URI of `database` as the superuser `postgres` (trust on loopback).
    QString url(const QString& database = QStringLiteral("postgres")) const;
    // A fresh, empty database; its URI, or an empty string with errorString().
    QString createDatabase();
    // Runs SQL on `database`; false with errorString() on failure.
    bool exec(const QString& database, const QString& sql);

    // One cluster for the whole test process, started on first use; null with `why`
    // when none can run here.
    static PostgresCluster* shared(QString* why);

  private:
    bool run(const QString& program, const QStringList& arguments, int timeoutMs);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dataDir;
    quint16 m_port = 0;
    bool m_initialized = false;
    bool m_running = false;
    int m_databases = 0;
    QString m_error;
};
