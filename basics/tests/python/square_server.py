"""An asyncio square server, the slides' last exercise done in Python, for interop tests.

Listens on 127.0.0.1 on a free port and prints the port as its first line. Answers every
line holding an integer with its square, anything else with 'error: <reason>'. Exits when
stdin closes.
"""
import asyncio
import os
import sys


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        try:
            n = int(line.decode())
            square = n * n
            answer = str(square) if square < 2 ** 128 else 'error: the square does not fit in 128 bits'
        except ValueError:
            answer = 'error: not an integer'
        writer.write((answer + '\n').encode())
        await writer.drain()
    writer.close()


async def exit_on_stdin_eof():
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, os.read, 0, 1024):
        pass
    os._exit(0)


async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    asyncio.get_running_loop().create_task(exit_on_stdin_eof())
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    asyncio.run(main())
