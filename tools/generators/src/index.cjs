'use strict';
// The generators are loaded by Nx through generators.json; this entry exists so the package has `exports`.
module.exports = { lambdaAppGenerator: require('./lambda-app/generator.cjs').lambdaAppGenerator };
