// The practical limit of Node on this machine: node:http + pg (pool of 10, a named prepared
// statement) running the list page's SQL and writing the same GraphQL-shaped JSON the API
// returns, with no GraphQL, no auth and no ORM. Usage: DATABASE_URL=… USER_ID=… PORT=… node server.js
// The body's variables.first (1..500, default 50) sets the page size.
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const userId = process.env.USER_ID!;

const PAGE = {
  name: 'baseline_list_page',
  text: `select t.id, t.type, t.amount::text as amount, to_char(t.date, 'YYYY-MM-DD') as date, t.description,
                a.name as account_name, a.currency as account_currency, c.name as category_name
         from transactions t
         join accounts a on a.id = t.account_id
         left join categories c on c.id = t.category_id
         where t.user_id = $1
         order by t.date desc, t.id desc
         limit $2`,
};

interface Row {
  id: string;
  type: string;
  amount: string;
  date: string;
  description: string | null;
  account_name: string;
  account_currency: string;
  category_name: string | null;
}

const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    let first = 50;
    try {
      first = Math.min(500, Math.max(1, Number(JSON.parse(body || '{}')?.variables?.first ?? 50)));
    } catch {
      // not JSON: the default page
    }
    pool.query<Row>({ ...PAGE, values: [userId, first + 1] }).then(
      ({ rows }) => {
        const nodes = rows.slice(0, first).map((row) => ({
          id: row.id,
          type: row.type,
          amount: row.amount,
          date: row.date,
          description: row.description,
          account: { name: row.account_name, currency: row.account_currency },
          category: row.category_name === null ? null : { name: row.category_name },
        }));
        const pageInfo = { hasNextPage: rows.length > first, endCursor: nodes.at(-1)?.id ?? null };
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { transactions: { nodes, pageInfo } } }));
      },
      (error: Error) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errors: [{ message: error.message }] }));
      },
    );
  });
});
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1');
