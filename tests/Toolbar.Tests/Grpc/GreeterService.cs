using Grpc.Core;

namespace Toolbar.Tests.Grpc;

/// <summary>Greets known names; any other name fails with <see cref="StatusCode.NotFound"/> and a message to show.</summary>
internal sealed class GreeterService : Greeter.GreeterBase
{
    public const string MissingMessage = "No person named \"{0}\" (100% unknown)";

    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) =>
        request.Name is "Ada" or "Grace"
            ? Task.FromResult(new HelloReply { Message = "Hello " + request.Name })
            : throw new RpcException(new Status(StatusCode.NotFound, string.Format(System.Globalization.CultureInfo.InvariantCulture, MissingMessage, request.Name)));
}
