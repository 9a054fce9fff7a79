namespace Toolbar.Internal;

/// <summary>A panel's whole data read back from a store's shared snapshot: shared again when the record is rewritten.</summary>
internal sealed class RestoredSnapshot(object value, Type valueType, string hash, byte[] json) : SharedSnapshot(hash, json)
{
    public override object BoxedValue => value;

    public override Type ValueType => valueType;
}
