#include "queue_model.h"

#include "upload_queue.h"

#include <QLocale>

namespace hoist {

namespace {

QString formatEta(qint64 seconds) {
    if (seconds < 0)
        return {};
    if (seconds >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

QueueModel::QueueModel(UploadQueue& queue, QObject* parent)
    : QAbstractTableModel(parent), m_queue(queue) {
    m_refresh.setInterval(250);
    connect(&m_refresh, &QTimer::timeout, this, &QueueModel::flush);
    m_refresh.start();

    connect(&m_queue, &UploadQueue::jobsAboutToBeAdded, this,
            [this](int first, int last) { beginInsertRows({}, first, last); });
    connect(&m_queue, &UploadQueue::jobsAdded, this, [this] { endInsertRows(); });
    connect(&m_queue, &UploadQueue::jobsAboutToBeRemoved, this, [this](int first, int last) {
        for (int row = first; row <= last; ++row)
            m_dirty.remove(m_queue.job(row));
        beginRemoveRows({}, first, last);
    });
    connect(&m_queue, &UploadQueue::jobsRemoved, this, [this] { endRemoveRows(); });
    connect(&m_queue, &UploadQueue::jobsAboutToBeReset, this, [this] {
        m_dirty.clear();
        beginResetModel();
    });
    connect(&m_queue, &UploadQueue::jobsReset, this, [this] { endResetModel(); });
    connect(&m_queue, &UploadQueue::jobStateChanged, this, &QueueModel::markDirty);
    connect(&m_queue, &UploadQueue::jobProgressChanged, this, &QueueModel::markDirty);
}

int QueueModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_queue.count();
}

int QueueModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UploadJob* job = m_queue.job(index.row());
    const JobRecord& record = job->record();
    switch (role) {
    case Qt::DisplayRole:
        return display(*job, index.column());
    case Qt::ToolTipRole:
        if (!record.error.isEmpty())
            return record.error;
        return record.note.isEmpty() ? record.path : record.path + QLatin1Char('\n') + record.note;
    case StateRole:
        return static_cast<int>(job->state());
    case SizeRole:
        return record.size;
    case ConfirmedBytesRole:
        return record.confirmedBytes;
    case HashedBytesRole:
        return job->hashedBytes();
    case SpeedRole:
        return job->speed();
    case EtaRole:
        return job->etaSeconds();
    case ErrorRole:
        return record.error;
    case FileIdRole:
        return record.fileId;
    case PathRole:
        return record.path;
    default:
        return {};
    }
}

QVariant QueueModel::display(const UploadJob& job, int column) const {
    const JobRecord& record = job.record();
    const QLocale locale;
    switch (column) {
    case Name:
        return job.fileName();
    case Size:
        return locale.formattedDataSize(record.size);
    case State:
        return jobStateName(job.state());
    case Confirmed:
        return locale.formattedDataSize(record.confirmedBytes);
    case Speed:
        return job.speed() > 0 ? locale.formattedDataSize(static_cast<qint64>(job.speed())) +
                                     QStringLiteral("/s")
                               : QString();
    case Eta:
        return formatEta(job.etaSeconds());
    case Error:
        if (job.state() == JobState::Waiting && job.nextTry().isValid())
            return tr("%1 Next try at %2.")
                .arg(record.error, locale.toString(job.nextTry().time(), QLocale::ShortFormat));
        return record.error;
    case FileId:
        return record.fileId;
    default:
        return {};
    }
}

QVariant QueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Size:
        return tr("Size");
    case State:
        return tr("State");
    case Confirmed:
        return tr("Confirmed");
    case Speed:
        return tr("Speed");
    case Eta:
        return tr("ETA");
    case Error:
        return tr("Error");
    case FileId:
        return tr("File id");
    default:
        return {};
    }
}

QHash<int, QByteArray> QueueModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StateRole, "state");
    names.insert(SizeRole, "size");
    names.insert(ConfirmedBytesRole, "confirmedBytes");
    names.insert(HashedBytesRole, "hashedBytes");
    names.insert(SpeedRole, "speed");
    names.insert(EtaRole, "eta");
    names.insert(ErrorRole, "error");
    names.insert(FileIdRole, "fileId");
    names.insert(PathRole, "path");
    return names;
}

void QueueModel::setRefreshInterval(int milliseconds) {
    m_refresh.setInterval(milliseconds);
}

void QueueModel::markDirty(const UploadJob* job) {
    m_dirty.insert(job);
}

void QueueModel::flush() {
    if (m_dirty.isEmpty())
        return;
    const QSet<const UploadJob*> dirty = std::exchange(m_dirty, {});
    const int lastColumn = ColumnCount - 1;
    if (dirty.size() * 2 > rowCount()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, lastColumn));
        return;
    }
    for (const UploadJob* job : dirty) {
        const int row = m_queue.rowOf(job);
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, lastColumn));
    }
}

} // namespace hoist
