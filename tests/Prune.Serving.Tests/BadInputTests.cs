namespace Prune.Serving.Tests;

/// <summary>Every bad request is a 4xx with <c>{"error": …}</c> saying what is wrong, never a 500, and the server answers
/// the next good request.</summary>
[Collection(ServedModelsCollection.Name)]
public sealed class BadInputTests : IDisposable
{
    private const long Limit = 256 * 1024;
    private readonly ModelFolder _folder = new();
    private readonly TestServer _server;
    private readonly HttpClient _client;

    public BadInputTests(BuiltModels models)
    {
        _folder.Add(1, File.ReadAllBytes(models.First));
        _server = TestServer.For(_folder.Path, maxRequestBytes: Limit);
        _client = _server.CreateClient();
    }

    private static string Image => Rest.Image(TestImages.Images[0]);

    private static string Rows(int count) => string.Join(",", Enumerable.Repeat("[" + string.Join(",", Enumerable.Repeat("0.5", 28)) + "]", count));

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "malformed JSON", """{"instances": [[[0.1, 0.2""", "JSON Parse error" },
        { "not an object", """[1, 2, 3]""", "must be a JSON object" },
        { "27 rows of 28", $$$"""{"instances": [[[{{{Rows(27)}}}]]]}""", "instances[0] has shape [1, 27, 28]; the model takes samples of shape [1, 28, 28]" },
        { "28x28 without the channel", $$$"""{"instances": [[{{{Rows(28)}}}]]}""", "instances[0] has shape [28, 28]" },
        { "strings", """{"instances": [[["a", "b"]]]}""", "holds a string where a number belongs" },
        { "booleans", """{"inputs": [[[true]]]}""", "holds a boolean" },
        { "NaN token", """{"instances": [[[NaN, 0.5]]]}""", "NaN and infinite values are not accepted" },
        { "Infinity token", """{"instances": [[[0.5, -Infinity]]]}""", "NaN and infinite values are not accepted" },
        { "a number beyond float", """{"instances": [[[1e999]]]}""", "not a finite float" },
        { "empty instances", """{"instances": []}""", "'instances' is empty" },
        { "empty inputs", """{"inputs": []}""", "'inputs' is empty" },
        { "instances and inputs", $$"""{"instances": [{{Image}}], "inputs": [{{Image}}]}""", "either 'instances' or 'inputs', but not both" },
        { "neither", """{"signature_name": "serving_default"}""", "Missing 'instances' or 'inputs' key" },
        { "ragged", """{"instances": [[[0.1, 0.2], [0.3]]]}""", "is ragged" },
        { "a wrong input name", $$"""{"instances": [{"pixels": {{Image}}}]}""", "must name the input 'input'" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_400_with_a_message_and_the_server_still_serves(string what, string body, string message)
    {
        var error = Rest.Error(await Rest.Post(_client, "/v1/models/mnist:predict", body, expectedStatus: 400));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
        await AssertStillServes();
    }

    [Theory]
    [InlineData("/v1/models/nope:predict", "Servable not found for request: Latest(nope)")]
    [InlineData("/v1/models/mnist/versions/7:predict", "Servable not found for request: Specific(mnist, 7)")]
    public async Task An_unknown_model_or_version_is_404(string path, string message)
    {
        Assert.Equal(message, Rest.Error(await Rest.Post(_client, path, $$"""{"instances": [{{Image}}]}""", expectedStatus: 404)));
        await AssertStillServes();
        // A client's made-up model name is not a metrics label: series stay bounded by the served models.
        Assert.DoesNotContain("model=\"nope\"", await _client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task An_unknown_signature_is_404()
    {
        var error = Rest.Error(await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"signature_name": "classify", "instances": [{{Image}}]}""", expectedStatus: 404));
        Assert.Contains("\"classify\" not found", error);
        await AssertStillServes();
    }

    [Theory]
    [InlineData("/v1/models/..%2Fmnist:predict", 400)]
    [InlineData("/v1/models/a%2Fb:predict", 400)]
    [InlineData("/v1/models/../mnist:predict", 400)]
    [InlineData("/v1/models/mnist/labels/stable:predict", 400)]
    [InlineData("/v1/models/mnist/versions/one:predict", 400)]
    [InlineData("/v1/models/mnist:classify", 400)]
    public async Task A_name_with_dots_or_slashes_and_any_other_malformed_path_is_a_4xx(string path, int status)
    {
        Rest.Error(await Rest.Post(_client, path, $$"""{"instances": [{{Image}}]}""", expectedStatus: status));
        await AssertStillServes();
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_with_or_without_a_content_length()
    {
        var big = $$"""{"instances": [{{string.Join(",", Enumerable.Repeat(Image, 120))}}]}""";
        Assert.True(big.Length > Limit);
        Assert.Contains("larger than the server's limit", Rest.Error(await Rest.Post(_client, "/v1/models/mnist:predict", big, expectedStatus: 413)));

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/models/mnist:predict")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(chunked);
        Assert.Equal(413, (int)response.StatusCode);
        await AssertStillServes();
    }

    [Fact]
    public async Task A_thousand_bodies_of_random_bytes_are_each_a_4xx_with_an_error_and_the_server_still_serves()
    {
        var random = new Random(13);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);
            if (i % 4 == 0 && bytes.Length > 0) bytes[0] = (byte)'{';       // some start like JSON, to get past the first byte
            using var response = await _client.PostAsync("/v1/models/mnist:predict", new ByteArrayContent(bytes));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"body {i}: {(int)response.StatusCode} {text}");
            Rest.Error(System.Text.Json.JsonDocument.Parse(text).RootElement);
        }
        await AssertStillServes();
    }

    private async Task AssertStillServes()
    {
        var rows = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"instances": [{{Image}}]}"""));
        Assert.Equal(10, Assert.Single(rows).Length);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }
}
