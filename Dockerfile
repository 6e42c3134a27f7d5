# One image for both services; the command picks which one runs.
FROM node:20-bookworm-slim
RUN npm install -g pnpm@12.4.2 && apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages ./packages
COPY apps ./apps
RUN pnpm install --frozen-lockfile
COPY tsconfig.json ./
ENV NODE_ENV=production HOST=0.0.0.0
USER node
EXPOSE 3001 3002
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
