#include "postgres_cluster.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>

#include <libpq-fe.h>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

QString binDir() {
    const QString configured = qEnvironmentVariable("HOIST_PG_BINDIR");
    return configured.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : configured;
}

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Hands the folder to the `postgres` user when we are root (PostgreSQL refuses root).
bool giveToPostgres(const QString& path, QString* error) {
    if (::geteuid() != 0)
        return true;
    const passwd* user = ::getpwnam("postgres");
    if (!user) {
        *error = QStringLiteral("running as root and there is no `postgres` user "
                                "(install the postgresql package)");
        return false;
    }
    if (::chown(path.toLocal8Bit().constData(), user->pw_uid, user->pw_gid) != 0 ||
        ::chmod(path.toLocal8Bit().constData(), 0700) != 0) {
        *error = QStringLiteral("cannot give %1 to the postgres user").arg(path);
        return false;
    }
    return true;
}

} // namespace

PostgresCluster::PostgresCluster() = default;

PostgresCluster::~PostgresCluster() {
    if (m_running)
        stop(true);
}

bool PostgresCluster::run(const QString& program, const QStringList& arguments, int timeoutMs) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    const QString path = binDir() + "/" + program;
    if (::geteuid() == 0)
        process.start(QStringLiteral("runuser"),
                      QStringList{"-u", "postgres", "--", path} + arguments);
    else
        process.start(path, arguments);
    if (!process.waitForStarted(5000)) {
        m_error = QStringLiteral("cannot run %1: %2").arg(path, process.errorString());
        return false;
    }
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed: %2")
                      .arg(program, QString::fromLocal8Bit(process.readAll().right(2000)));
        return false;
    }
    return true;
}

bool PostgresCluster::start() {
    if (m_running)
        return true;
    if (!QFileInfo(binDir() + "/initdb").isExecutable()) {
        m_error =
            QStringLiteral("no PostgreSQL 15 in %1 (install the postgresql package)").arg(binDir());
        return false;
    }
    if (!m_initialized) {
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + "/hoist-pg-XXXXXX");
        if (!m_dir->isValid() || !giveToPostgres(m_dir->path(), &m_error))
            return false;
        m_dataDir = m_dir->path() + "/data";
        // Trust on loopback and the socket: the cluster lives only as long as the test.
        if (!run("initdb",
                 {"-D", m_dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "--encoding=UTF8",
                  "--locale=C.UTF-8"},
                 60000))
            return false;
        m_initialized = true;
        m_port = freePort();
    }
    // Durability is not what these tests are about: fsync off keeps them fast.
    const QString options = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 "
                                           "-c fsync=off -c full_page_writes=off "
                                           "-c max_connections=200")
                                .arg(m_port)
                                .arg(m_dir->path());
    if (!run("pg_ctl",
             {"-D", m_dataDir, "-o", options, "-l", m_dir->path() + "/server.log", "-w", "-t", "60",
              "start"},
             70000))
        return false;
    m_running = true;
    return true;
}

bool PostgresCluster::stop(bool immediate) {
    if (!m_running)
        return true;
    m_running = false;
    return run("pg_ctl",
               {"-D", m_dataDir, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"},
               70000);
}

QString PostgresCluster::url(const QString& database) const {
    return QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2").arg(m_port).arg(database);
}

bool PostgresCluster::exec(const QString& database, const QString& sql) {
    PGconn* connection = PQconnectdb(url(database).toUtf8().constData());
    bool ok = PQstatus(connection) == CONNECTION_OK;
    if (ok) {
        PGresult* result = PQexec(connection, sql.toUtf8().constData());
        ok =
            PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
        PQclear(result);
    }
    if (!ok)
        m_error = QString::fromUtf8(PQerrorMessage(connection));
    PQfinish(connection);
    return ok;
}

QString PostgresCluster::createDatabase() {
    const QString name = QStringLiteral("hoist_test_%1").arg(++m_databases);
    if (!exec(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(name)))
        return {};
    return url(name);
}

PostgresCluster* PostgresCluster::shared(QString* why) {
    static PostgresCluster cluster;
    static bool started = cluster.start();
    if (!started)
        *why = cluster.errorString();
    return started ? &cluster : nullptr;
}
