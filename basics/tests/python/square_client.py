"""An asyncio square client, for interop tests.

    python3 square_client.py HOST PORT NUMBER...

Sends every NUMBER on its own connection, all at once, and prints 'square(<n>) = <answer>'
in the order given.
"""
import asyncio
import sys


async def ask(host, port, number):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write((number + '\n').encode())
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return answer.decode().rstrip('\n')


async def main():
    host, port, numbers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    answers = await asyncio.gather(*(ask(host, port, n) for n in numbers))
    for number, answer in zip(numbers, answers):
        print('square({}) = {}'.format(number, answer))


if __name__ == '__main__':
    asyncio.run(main())
