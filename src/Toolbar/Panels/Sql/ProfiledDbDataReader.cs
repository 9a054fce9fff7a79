using System.Collections;
using System.Data.Common;
using Toolbar.Panels.Sql;

namespace Toolbar;

/// <summary>A data reader of a <see cref="ProfiledDbCommand"/>: passes everything through and counts the rows read.</summary>
public sealed class ProfiledDbDataReader : DbDataReader
{
    private readonly DbDataReader _inner;
    private readonly SqlCommandRecord? _record;
    private int _rows;

    internal ProfiledDbDataReader(DbDataReader inner, ProfiledDbCommand command, SqlCommandRecord? record)
    {
        _inner = inner;
        Command = command;
        _record = record;
    }

    /// <summary>The wrapped reader.</summary>
    public DbDataReader InnerReader => _inner;

    /// <summary>The command that opened the reader.</summary>
    public ProfiledDbCommand Command { get; }

    /// <inheritdoc />
    public override object this[int ordinal] => _inner[ordinal];

    /// <inheritdoc />
    public override object this[string name] => _inner[name];

    /// <inheritdoc />
    public override int Depth => _inner.Depth;

    /// <inheritdoc />
    public override int FieldCount => _inner.FieldCount;

    /// <inheritdoc />
    public override int VisibleFieldCount => _inner.VisibleFieldCount;

    /// <inheritdoc />
    public override bool HasRows => _inner.HasRows;

    /// <inheritdoc />
    public override bool IsClosed => _inner.IsClosed;

    /// <inheritdoc />
    public override int RecordsAffected => _inner.RecordsAffected;

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => _inner.GetBoolean(ordinal);

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => _inner.GetByte(ordinal);

    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        _inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    /// <inheritdoc />
    public override char GetChar(int ordinal) => _inner.GetChar(ordinal);

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        _inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal) => _inner.GetDataTypeName(ordinal);

    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => _inner.GetDateTime(ordinal);

    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal) => _inner.GetDecimal(ordinal);

    /// <inheritdoc />
    public override double GetDouble(int ordinal) => _inner.GetDouble(ordinal);

    /// <inheritdoc />
    public override Type GetFieldType(int ordinal) => _inner.GetFieldType(ordinal);

    /// <inheritdoc />
    public override float GetFloat(int ordinal) => _inner.GetFloat(ordinal);

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => _inner.GetGuid(ordinal);

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => _inner.GetInt16(ordinal);

    /// <inheritdoc />
    public override int GetInt32(int ordinal) => _inner.GetInt32(ordinal);

    /// <inheritdoc />
    public override long GetInt64(int ordinal) => _inner.GetInt64(ordinal);

    /// <inheritdoc />
    public override string GetName(int ordinal) => _inner.GetName(ordinal);

    /// <inheritdoc />
    public override int GetOrdinal(string name) => _inner.GetOrdinal(name);

    /// <inheritdoc />
    public override string GetString(int ordinal) => _inner.GetString(ordinal);

    /// <inheritdoc />
    public override object GetValue(int ordinal) => _inner.GetValue(ordinal);

    /// <inheritdoc />
    public override int GetValues(object[] values) => _inner.GetValues(values);

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => _inner.IsDBNull(ordinal);

    /// <inheritdoc />
    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => _inner.IsDBNullAsync(ordinal, cancellationToken);

    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal) => _inner.GetFieldValue<T>(ordinal);

    /// <inheritdoc />
    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => _inner.GetFieldValueAsync<T>(ordinal, cancellationToken);

    /// <inheritdoc />
    public override System.Data.DataTable? GetSchemaTable() => _inner.GetSchemaTable();

    /// <inheritdoc />
    public override Type GetProviderSpecificFieldType(int ordinal) => _inner.GetProviderSpecificFieldType(ordinal);

    /// <inheritdoc />
    public override object GetProviderSpecificValue(int ordinal) => _inner.GetProviderSpecificValue(ordinal);

    /// <inheritdoc />
    public override int GetProviderSpecificValues(object[] values) => _inner.GetProviderSpecificValues(values);

    /// <inheritdoc />
    public override bool NextResult() => _inner.NextResult();

    /// <inheritdoc />
    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => _inner.NextResultAsync(cancellationToken);

    /// <inheritdoc />
    public override bool Read()
    {
        var more = _inner.Read();
        if (more)
        {
            _rows++;
        }

        return more;
    }

    /// <inheritdoc />
    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var more = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (more)
        {
            _rows++;
        }

        return more;
    }

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <inheritdoc />
    public override void Close()
    {
        _inner.Close();
        Report();
    }

    /// <inheritdoc />
    public override async Task CloseAsync()
    {
        await _inner.CloseAsync().ConfigureAwait(false);
        Report();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            Report();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        Report();
    }

    private void Report()
    {
        if (_record is not null)
        {
            _record.RowsRead = _rows;
        }
    }
}
