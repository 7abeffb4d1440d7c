using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using ServerlessMonitor.Tests.Hosting.Worker.Rpc;

namespace ServerlessMonitor.Tests.Hosting.Worker;

/// <summary>
/// The host's end of FunctionRpc.EventStream for one worker. The worker dials in and opens the stream with
/// StartStream; from then on the host writes requests and the worker answers each on the same stream, copying
/// the request's id (GrpcWorker does so for every message it answers), which is how answers find their request.
/// </summary>
internal sealed class EventStreamService : FunctionRpc.FunctionRpcBase
{
    // A gRPC stream takes one write at a time; the outbox serialises requests sent from several tasks.
    private readonly Channel<StreamingMessage> _outbox = Channel.CreateUnbounded<StreamingMessage>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly TaskCompletionSource<StartStream> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _logs = new();
    private int _streams;

    public Task<StartStream> Started => _started.Task;

    /// <summary>What the worker logged over the stream: with a host attached, its logs go there, not to the console.</summary>
    public string Logs => string.Join(Environment.NewLine, _logs);

    /// <summary>Queues <paramref name="request"/> under a fresh request id; the task completes with the worker's answer.</summary>
    public Task<StreamingMessage> SendAsync(StreamingMessage request)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[request.RequestId] = answer;
        if (!_outbox.Writer.TryWrite(request))
        {
            _pending.TryRemove(request.RequestId, out _);
            answer.SetException(new IOException("the worker's event stream is closed"));
        }
        return answer.Task;
    }

    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (Interlocked.Increment(ref _streams) > 1)
        {
            throw new Grpc.Core.RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, "this test host serves one worker stream"));
        }
        var writing = WriteOutboxAsync(responseStream, context.CancellationToken);
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
            {
                Receive(message);
            }
        }
        finally
        {
            Close("the worker closed its event stream");
        }
        await writing;
    }

    private async Task WriteOutboxAsync(IServerStreamWriter<StreamingMessage> responseStream, CancellationToken ct)
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(ct))
            {
                await responseStream.WriteAsync(message, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            Close($"writing to the worker failed: {e.Message}");
        }
    }

    private void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                _logs.Enqueue(Describe(message.RpcLog));
                break;
            default:
                if (_pending.TryRemove(message.RequestId, out var answer))
                {
                    answer.TrySetResult(message);
                }
                else
                {
                    _logs.Enqueue($"[host] unexpected {message.ContentCase} for request '{message.RequestId}'");
                }
                break;
        }
    }

    private void Close(string reason)
    {
        _outbox.Writer.TryComplete();
        _started.TrySetException(new IOException(reason));
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var answer))
            {
                answer.TrySetException(new IOException(reason));
            }
        }
    }

    private static string Describe(RpcLog log) =>
        $"[{log.Level}] {log.Category}: {log.Message}" + (log.Exception is { } e ? $"{Environment.NewLine}  {e.Message}{Environment.NewLine}{e.StackTrace}" : "");
}
