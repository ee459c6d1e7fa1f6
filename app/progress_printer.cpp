#include "progress_printer.h"

#include "upload_job.h"

#include <QLocale>

#include <unistd.h>

using hoist::JobState;

ProgressPrinter::ProgressPrinter(QList<const hoist::UploadJob*> jobs, std::FILE* stream,
                                 QObject* parent)
    : QObject(parent), m_jobs(std::move(jobs)), m_stream(stream),
      m_terminal(::isatty(::fileno(stream)) == 1) {
    m_timer.setInterval(m_terminal ? 250 : 2000);
    connect(&m_timer, &QTimer::timeout, this, &ProgressPrinter::print);
    m_timer.start();
}

QString ProgressPrinter::summary() const {
    qint64 total = 0;
    qint64 confirmed = 0;
    double speed = 0;
    int finished = 0;
    int hashing = 0;
    for (const hoist::UploadJob* job : m_jobs) {
        total += job->record().size;
        confirmed += job->record().confirmedBytes;
        speed += job->speed();
        finished += hoist::isDone(job->state()) ? 1 : 0;
        hashing += job->state() == JobState::Hashing ? 1 : 0;
    }
    const QLocale locale = QLocale::c();
    QString line = QStringLiteral("[%1/%2 files] %3 / %4")
                       .arg(finished)
                       .arg(m_jobs.size())
                       .arg(locale.formattedDataSize(confirmed), locale.formattedDataSize(total));
    if (speed > 0) {
        line += QStringLiteral("  %1/s").arg(locale.formattedDataSize(static_cast<qint64>(speed)));
        const auto eta = static_cast<qint64>(static_cast<double>(total - confirmed) / speed);
        line += QStringLiteral("  ETA %1:%2").arg(eta / 60).arg(eta % 60, 2, 10, QLatin1Char('0'));
    }
    if (hashing > 0)
        line += QStringLiteral("  (hashing %1)").arg(hashing);
    return line;
}

void ProgressPrinter::print() {
    const QString line = summary();
    if (!m_terminal && line == m_last)
        return;
    m_last = line;
    const QByteArray text = line.toLocal8Bit();
    if (m_terminal) {
        std::fprintf(m_stream, "\r\033[K%s", text.constData());
        m_lineShown = true;
    } else {
        std::fprintf(m_stream, "%s\n", text.constData());
    }
    std::fflush(m_stream);
}

void ProgressPrinter::clearLine() {
    if (!m_lineShown)
        return;
    std::fputs("\r\033[K", m_stream);
    std::fflush(m_stream);
    m_lineShown = false;
}

void ProgressPrinter::stop() {
    m_timer.stop();
    clearLine();
}
