// Calls the GraphQL API from a shell, with your token. Usage:
//   node examples/gql.mjs '<query>' [name=value ...] [name:=json ...] [--print path.to.value]
// name=value passes a string variable, name:=json any JSON (numbers, lists). API (default
// http://localhost:4000/graphql) and TOKEN come from the environment. Prints the JSON answer, or
// with --print only that value (a path such as data.createAccount.id; in a list, name=Groceries
// picks the item whose name is Groceries); GraphQL errors go to stderr with exit code 1.
const [query, ...args] = process.argv.slice(2);
if (!query) {
  console.error("Usage: node examples/gql.mjs '<query>' [name=value ...] [name:=json ...] [--print path]");
  process.exit(2);
}
const variables = {};
let print;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--print') print = args[++i];
  else if (args[i].includes(':=')) {
    const [name, ...json] = args[i].split(':=');
    variables[name] = JSON.parse(json.join(':='));
  } else {
    const [name, ...value] = args[i].split('=');
    variables[name] = value.join('=');
  }
}
const api = process.env.API ?? 'http://localhost:4000/graphql';
const response = await fetch(api, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(process.env.TOKEN ? { authorization: `Bearer ${process.env.TOKEN}` } : {}),
  },
  body: JSON.stringify({ query, variables }),
}).catch((error) => {
  console.error(`Cannot reach ${api}: ${error.cause?.code ?? error.message}. Is the server running?`);
  process.exit(1);
});
const body = await response.json();
if (body.errors) {
  console.error(JSON.stringify(body.errors, null, 2));
  process.exit(1);
}
const step = (node, key) => {
  if (!Array.isArray(node) || !key.includes('=')) return node?.[key];
  const [field, wanted] = key.split('=');
  return node.find((item) => String(item?.[field]) === wanted);
};
const value = print ? print.split('.').reduce(step, body) : body;
if (value === undefined) {
  console.error(`Nothing at ${print} in ${JSON.stringify(body)}`);
  process.exit(1);
}
console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
