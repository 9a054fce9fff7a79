using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolbar.Stores;

/// <summary>Source-generated JSON for the store's own envelope types (panel data is read by each panel's type).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredRecord))]
[JsonSerializable(typeof(List<StoredSummary>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext
{
}
