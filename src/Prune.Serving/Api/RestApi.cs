using System.Buffers;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prune.Serving.Config;
using Prune.Serving.Models;

namespace Prune.Serving.Api;

/// <summary>
/// TensorFlow Serving's REST API (tensorflow/serving <c>g3doc/api_rest.md</c>) on minimal APIs: model status,
/// model metadata and predict, for the latest version or a given one. Every failure is <c>{"error": "…"}</c> with
/// TensorFlow Serving's status code; a path it does not know is 400 "Malformed request", as there.
/// </summary>
internal static partial class RestApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/models/{name}", (HttpContext context, string name) => Handle(context, name, () => Status(context, name, null)));
        endpoints.MapGet("/v1/models/{name}/versions/{version:long}", (HttpContext context, string name, long version) =>
            Handle(context, name, () => Status(context, name, version)));
        endpoints.MapGet("/v1/models/{name}/metadata", (HttpContext context, string name) => Handle(context, name, () => Metadata(context, name, null)));
        endpoints.MapGet("/v1/models/{name}/versions/{version:long}/metadata", (HttpContext context, string name, long version) =>
            Handle(context, name, () => Metadata(context, name, version)));
        endpoints.MapPost("/v1/models/{name}:predict", (HttpContext context, string name) => Handle(context, name, () => Predict(context, name, null)));
        endpoints.MapPost("/v1/models/{name}/versions/{version:long}:predict", (HttpContext context, string name, long version) =>
            Handle(context, name, () => Predict(context, name, version)));
        endpoints.MapFallback("/v1/{**path}", (HttpContext context) => ResponseJson.Error(context.Response, StatusCodes.Status400BadRequest,
            context.Request.Path.Value!.Contains("/labels/", StringComparison.Ordinal)
                ? "Malformed request: version labels are not supported; name the version (/versions/N) or use the latest."
                : $"Malformed request: {context.Request.Method} {context.Request.Path}"));
    }

    private static async Task Handle(HttpContext context, string name, Func<Task> handle)
    {
        try
        {
            if (!ModelName().IsMatch(name)) throw new ServingException(ServingStatus.InvalidArgument, $"Malformed request: '{name}' is not a model name (letters, digits, '_', '-', '.').");
            await handle().ConfigureAwait(false);
        }
        catch (ServingException e)
        {
            await ResponseJson.Error(context.Response, (int)e.Status, e.Message).ConfigureAwait(false);
        }
    }

    private static Task Status(HttpContext context, string name, long? version)
    {
        var model = Find(context, name);
        var versions = model.Status.Where(s => version is null || s.Version == version).ToList();
        if (versions.Count == 0)
        {
            throw new ServingException(ServingStatus.NotFound, version is { } v
                ? $"Could not find version {v} of model {name}"
                : $"Could not find any versions of model {name}");
        }
        return ResponseJson.Status(context.Response, versions);
    }

    private static async Task Metadata(HttpContext context, string name, long? version)
    {
        var loaded = Acquire(context, name, version);
        try
        {
            await ResponseJson.Metadata(context.Response, name, loaded.Version, loaded.Signature).ConfigureAwait(false);
        }
        finally
        {
            loaded.Release();
        }
    }

    private static async Task Predict(HttpContext context, string name, long? version)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<ServingOptions>();
        var metrics = services.GetRequiredService<ServingMetrics>();
        var clock = Stopwatch.StartNew();
        var status = StatusCodes.Status200OK;
        // Metrics are tagged with served models' names only: a client's made-up names must not grow the series without bound.
        var known = context.RequestServices.GetRequiredService<ModelRegistry>().Find(name) is not null;
        try
        {
            Find(context, name);
            using var body = await ReadBody(context.Request, options.MaxRequestBytes).ConfigureAwait(false);
            var loaded = Acquire(context, name, version);
            try
            {
                var request = PredictRequest.Parse(body.Bytes, name, loaded.Signature);
                float[] output;
                try
                {
                    output = await loaded.Predict(request.Values, request.Count).WaitAsync(options.RequestTimeout, context.RequestAborted).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new ServingException(ServingStatus.DeadlineExceeded, $"Deadline exceeded: no answer within {options.RequestTimeout.TotalSeconds:0.###} s.");
                }
                await ResponseJson.Predictions(context.Response, output, request.Count, loaded.Signature.Output, request.Columnar).ConfigureAwait(false);
            }
            finally
            {
                loaded.Release();
            }
        }
        catch (ServingException e)
        {
            status = (int)e.Status;
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not the request's fault (bad input is caught above): say so without a stack trace, and log the details.
            status = StatusCodes.Status500InternalServerError;
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RestApi)).LogError(e, "Predict on model {Model} failed.", name);
            await ResponseJson.Error(context.Response, status, $"Internal error while predicting with model {name}: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            metrics.Predicted(known ? name : "(unknown)", status, clock.Elapsed);
        }
    }

    private static ServedModel Find(HttpContext context, string name) =>
        context.RequestServices.GetRequiredService<ModelRegistry>().Find(name)
        ?? throw new ServingException(ServingStatus.NotFound, $"Servable not found for request: Latest({name})");

    private static LoadedVersion Acquire(HttpContext context, string name, long? version) =>
        Find(context, name).Acquire(version)
        ?? throw new ServingException(ServingStatus.NotFound, version is { } v
            ? $"Servable not found for request: Specific({name}, {v})"
            : $"Servable not found for request: Latest({name})");

    /// <summary>The request body, refused with 413 beyond <paramref name="limit"/> bytes (by its Content-Length, or while
    /// reading when it has none).</summary>
    private static async Task<PooledBody> ReadBody(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit) throw TooLarge(limit);
        var body = new PooledBody((int)Math.Min(request.ContentLength ?? 64 * 1024, limit) + 1);
        try
        {
            while (true)
            {
                if (body.Length == body.Capacity) body.Grow((int)Math.Min((long)body.Capacity * 2, limit + 1));
                int read;
                try
                {
                    read = await request.Body.ReadAsync(body.Free, request.HttpContext.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e)
                {
                    // Kestrel's own refusals while reading (a malformed chunked body, its size limit).
                    throw e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(limit) : new ServingException(ServingStatus.InvalidArgument, $"Malformed request body: {e.Message}");
                }
                if (read == 0) return body;
                body.Length += read;
                if (body.Length > limit) throw TooLarge(limit);
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static ServingException TooLarge(long limit) =>
        new(ServingStatus.PayloadTooLarge, $"The request body is larger than the server's limit of {limit:N0} bytes (--rest_api_max_request_bytes).");

    /// <summary>A request body in a rented buffer.</summary>
    private sealed class PooledBody(int capacity) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);

        public int Length { get; set; }

        public int Capacity => _buffer.Length;

        public Memory<byte> Free => _buffer.AsMemory(Length);

        public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);

        public void Grow(int capacity)
        {
            var larger = ArrayPool<byte>.Shared.Rent(capacity);
            _buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex ModelName();
}
