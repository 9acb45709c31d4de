FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/clinical/package.json packages/clinical/
COPY packages/contracts/package.json packages/contracts/
COPY . .
RUN npm ci --no-audit --no-fund
ENV NODE_ENV=production PORT=3000 SANITA_SEED=none
EXPOSE 3000
USER node
CMD ["npm", "start"]
