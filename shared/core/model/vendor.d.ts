/** Minimal typings for the two mljs packages that ship none (only what the model uses). */
declare module 'ml-cart' {
  import type { Matrix } from 'ml-matrix';
  export interface DecisionTreeRegressionOptions {
    maxDepth?: number;
    minNumSamples?: number;
    gainThreshold?: number;
  }
  export interface DecisionTreeRegressionJson {
    name: 'DTRegression';
    options: Record<string, unknown>;
    root: unknown;
  }
  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeRegressionOptions);
    train(trainingSet: number[][] | Matrix, trainingValues: number[]): void;
    predict(toPredict: number[][] | Matrix): number[];
    toJSON(): DecisionTreeRegressionJson;
    static load(model: DecisionTreeRegressionJson): DecisionTreeRegression;
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  interface TwoClasses {
    testScores(features: Matrix): number[];
  }
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    classifiers: TwoClasses[];
    numberClasses: number;
    train(X: Matrix, Y: Matrix): void;
    predict(X: Matrix): number[];
    toJSON(): {
      name: 'LogisticRegression';
      numSteps: number;
      learningRate: number;
      numberClasses: number;
      classifiers: unknown[];
    };
    static load(model: unknown): LogisticRegression;
  }
}
