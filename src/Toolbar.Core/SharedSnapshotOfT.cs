using System.Text.Json.Serialization;
using Toolbar.Internal;

namespace Toolbar;

/// <summary>
/// A shared, immutable value inside panel data (see <see cref="SharedSnapshot"/>). Use it as the type of a data
/// property (it serializes as the value itself, so the JSON shape is that of <typeparamref name="T"/>), and tell the
/// record with <see cref="PanelContext.AddSharedSnapshot"/>; or make it the panel's whole data with
/// <see cref="PanelContext.SetSharedData{TData}"/>.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
[JsonConverter(typeof(SharedSnapshotJsonConverterFactory))]
public sealed class SharedSnapshot<T> : SharedSnapshot where T : class
{
    /// <summary>Wraps <paramref name="value"/>, which must not change from now on.</summary>
    /// <param name="value">The shared value.</param>
    public SharedSnapshot(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    internal SharedSnapshot(T value, string hash, byte[] json)
        : base(hash, json)
    {
        Value = value;
    }

    /// <summary>The shared value.</summary>
    public T Value { get; }

    /// <inheritdoc />
    public override object BoxedValue => Value;

    /// <inheritdoc />
    public override Type ValueType => typeof(T);
}
