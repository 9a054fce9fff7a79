using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolbar.Internal;

/// <summary>Serializes a <see cref="SharedSnapshot{T}"/> as its value, or as a reference inside a store.</summary>
internal sealed class SharedSnapshotJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(SharedSnapshot<>);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(SharedSnapshotJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]));
}
